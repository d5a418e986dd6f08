package dev.baton.node.config;

import java.util.regex.Pattern;

/**
 * One cluster member as configured: {@code ID=HOST:RAFT_PORT:HTTP_PORT}. The node with this id binds
 * its cluster transport on {@code HOST:RAFT_PORT} and its HTTP API on {@code HOST:HTTP_PORT}; the
 * other nodes use the same addresses to reach it.
 */
public record MemberSpec(String id, String host, int raftPort, int httpPort) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public MemberSpec {
        if (id == null || !ID.matcher(id).matches()) {
            throw new ConfigException(
                    "--members", "invalid member id '" + id + "' (1-64 of letters, digits, '_', '.', '-')");
        }
        if (host == null || host.isBlank()) {
            throw new ConfigException("--members", "member '" + id + "' has no host");
        }
        checkPort(id, "raft", raftPort);
        checkPort(id, "http", httpPort);
        if (raftPort == httpPort) {
            throw new ConfigException("--members", "member '" + id + "' uses port " + raftPort + " for both raft and http");
        }
    }

    private static void checkPort(String id, String what, int port) {
        if (port < 1 || port > 65535) {
            throw new ConfigException("--members", "member '" + id + "' has " + what + " port " + port + " outside 1-65535");
        }
    }

    /** Parses {@code ID=HOST:RAFT_PORT:HTTP_PORT}. */
    public static MemberSpec parse(String text) {
        String s = text.trim();
        int eq = s.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("--members", "'" + text + "' is not ID=HOST:RAFT_PORT:HTTP_PORT");
        }
        String id = s.substring(0, eq);
        String[] parts = s.substring(eq + 1).split(":");
        if (parts.length != 3) {
            throw new ConfigException("--members", "'" + text + "' is not ID=HOST:RAFT_PORT:HTTP_PORT");
        }
        return new MemberSpec(id, parts[0], port(text, parts[1]), port(text, parts[2]));
    }

    private static int port(String text, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigException("--members", "'" + value + "' in '" + text + "' is not a port number");
        }
    }

    /** {@code http://HOST:HTTP_PORT}; with TLS on use {@link NodeConfig#httpUrl(MemberSpec)}. */
    public String httpUrl() {
        return httpUrl("http");
    }

    /** {@code SCHEME://HOST:HTTP_PORT}. */
    public String httpUrl(String scheme) {
        return scheme + "://" + host + ":" + httpPort;
    }

    public String raftAddress() {
        return host + ":" + raftPort;
    }
}
