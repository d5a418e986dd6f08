package dev.baton.node.config;

/**
 * How long the HTTP front waits for a client and how many connections it holds, so that slow or
 * hostile clients cannot stall a node (see docs/http-api.md, "Slow clients and connection limits").
 *
 * @param headerTimeoutMs a request head (request line and headers) must be complete this long
 *     after the connection opened or its first byte arrived; otherwise 408 and close ({@value
 *     #HEADER_TIMEOUT_OPTION}, default 10 s)
 * @param bodyTimeoutMs a request body must be complete this long after its head; otherwise 408
 *     and close ({@value #BODY_TIMEOUT_OPTION}, default 30 s: a 16 MiB value at 1 MiB/s fits)
 * @param idleTimeoutMs a kept-alive connection with no request begun for this long is closed
 *     quietly ({@value #IDLE_TIMEOUT_OPTION}, default 60 s)
 * @param maxConnections open connections counted per node; more get 503 ({@value
 *     #MAX_CONNECTIONS_OPTION}, default 1024)
 * @param maxConnectionsPerClient open connections counted per client IP address; more get 429
 *     ({@value #MAX_PER_CLIENT_OPTION}, default 256)
 */
public record HttpLimits(long headerTimeoutMs, long bodyTimeoutMs, long idleTimeoutMs, int maxConnections, int maxConnectionsPerClient) {

    public static final String HEADER_TIMEOUT_OPTION = "--http-header-timeout-ms";
    public static final String BODY_TIMEOUT_OPTION = "--http-body-timeout-ms";
    public static final String IDLE_TIMEOUT_OPTION = "--http-idle-timeout-ms";
    public static final String MAX_CONNECTIONS_OPTION = "--http-max-connections";
    public static final String MAX_PER_CLIENT_OPTION = "--http-max-connections-per-client";

    public static final long DEFAULT_HEADER_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_BODY_TIMEOUT_MS = 30_000;
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    public static final int DEFAULT_MAX_PER_CLIENT = 256;

    /** Timeouts are 100 ms to 1 hour; a descriptor per connection, so at most 100,000 connections. */
    public static final long MIN_TIMEOUT_MS = 100;
    public static final long MAX_TIMEOUT_MS = 3_600_000;
    public static final int MAX_CONNECTIONS_CEILING = 100_000;

    public static final HttpLimits DEFAULTS = new HttpLimits(DEFAULT_HEADER_TIMEOUT_MS, DEFAULT_BODY_TIMEOUT_MS,
            DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_PER_CLIENT);

    public HttpLimits {
        checkTimeout(HEADER_TIMEOUT_OPTION, headerTimeoutMs);
        checkTimeout(BODY_TIMEOUT_OPTION, bodyTimeoutMs);
        checkTimeout(IDLE_TIMEOUT_OPTION, idleTimeoutMs);
        if (maxConnections < 1 || maxConnections > MAX_CONNECTIONS_CEILING) {
            throw new ConfigException(MAX_CONNECTIONS_OPTION, maxConnections + " is outside 1-" + MAX_CONNECTIONS_CEILING);
        }
        if (maxConnectionsPerClient < 1 || maxConnectionsPerClient > maxConnections) {
            throw new ConfigException(MAX_PER_CLIENT_OPTION, maxConnectionsPerClient + " is outside 1-" + maxConnections
                    + " (" + MAX_CONNECTIONS_OPTION + ")");
        }
    }

    private static void checkTimeout(String option, long ms) {
        if (ms < MIN_TIMEOUT_MS || ms > MAX_TIMEOUT_MS) {
            throw new ConfigException(option, ms + " is outside " + MIN_TIMEOUT_MS + "-" + MAX_TIMEOUT_MS);
        }
    }
}
