package dev.baton.node.cli;

import dev.baton.client.BatonClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Mixin: where the cluster is and how long to wait. Seeds are validated while parsing (exit 2). */
public final class ClientOptions {

    static final String DEFAULT_SEEDS = "http://127.0.0.11:8080,http://127.0.0.12:8080,http://127.0.0.13:8080";

    @Option(names = "--seeds", paramLabel = "URL[,URL...]", converter = SeedsConverter.class,
            defaultValue = "${env:BATON_SEEDS:-" + DEFAULT_SEEDS + "}",
            description = "Node HTTP URLs, comma-separated; some or all nodes (default: $BATON_SEEDS, else ${DEFAULT-VALUE}).")
    String seeds;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10s",
            description = "Overall time per command, retries included, e.g. 500ms, 10s, 1m (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--request-timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "2s",
            description = "Time per HTTP attempt (default ${DEFAULT-VALUE}).")
    Duration requestTimeout;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Bearer token for nodes started with --token-file (default: --token-file, else $BATON_TOKEN). Visible in the process list: prefer the other two.")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File whose first line is the bearer token.")
    Path tokenFile;

    @Option(names = "--cacert", paramLabel = "FILE", converter = CaFileConverter.class, defaultValue = "${env:BATON_CACERT}",
            description = "For https seeds: CA certificate(s), PEM, that issued the nodes' certificates (default: $BATON_CACERT, else the JDK's trust).")
    Path cacert;

    @Option(names = "--client-cert", paramLabel = "FILE", converter = CaFileConverter.class, defaultValue = "${env:BATON_CLIENT_CERT}",
            description = "For nodes started with --http-tls-client-ca: this client's key and certificate, PKCS#12 (default: $BATON_CLIENT_CERT).")
    Path clientCert;

    @Option(names = "--client-cert-password-file", paramLabel = "FILE", converter = CaFileConverter.class,
            defaultValue = "${env:BATON_CLIENT_CERT_PASSWORD_FILE}",
            description = "File whose first line is the --client-cert keystore's password (default: $BATON_CLIENT_CERT_PASSWORD_FILE).")
    Path clientCertPasswordFile;

    BatonClient newClient() {
        BatonClient.Builder b = BatonClient.builder().seeds(seeds).deadline(timeout).requestTimeout(requestTimeout);
        String t = token();
        if (t != null) {
            b.token(t);
        }
        if (cacert != null) {
            b.trust(cacert);
        }
        if (clientCert != null) {
            b.clientCertificate(clientCert, clientCertPassword());
        } else if (clientCertPasswordFile != null) {
            throw new IllegalArgumentException("--client-cert-password-file needs --client-cert");
        }
        return b.build();
    }

    /** The first line of --client-cert-password-file; a keystore without one is refused (PKCS#12 needs it). */
    private char[] clientCertPassword() {
        if (clientCertPasswordFile == null) {
            throw new IllegalArgumentException("--client-cert " + clientCert + " needs --client-cert-password-file");
        }
        return firstLine("--client-cert-password-file", clientCertPasswordFile).toCharArray();
    }

    /** --token, else the first line of --token-file, else $BATON_TOKEN; null for none (plain mode). */
    String token() {
        if (token != null) {
            return token;
        }
        if (tokenFile != null) {
            return firstLine("--token-file", tokenFile);
        }
        String env = System.getenv("BATON_TOKEN");
        return env == null || env.isBlank() ? null : env.strip();
    }

    /** The first line of the file given as {@code option}, stripped; empty or unreadable is refused naming it. */
    static String firstLine(String option, Path file) {
        try {
            String first = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
            if (first.isEmpty()) {
                throw new IllegalArgumentException(option + " " + file + " is empty");
            }
            return first;
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + file + " cannot be read: " + e);
        }
    }

    /** A readable file; what is inside is checked when the client is built. */
    static final class CaFileConverter implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path p = Path.of(value);
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw new TypeConversionException("'" + value + "' is not a readable file");
            }
            return p;
        }
    }

    /** Accepts what {@link BatonClient.Builder#seeds(String)} accepts; the error names the bad URL. */
    static final class SeedsConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                BatonClient.builder().seeds(value);
                return value;
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code 250ms}, {@code 2s}, {@code 1.5s}, {@code 1m}, or a plain number of seconds; must be positive. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parseDuration(value);
        }
    }

    static Duration parseDuration(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        long unitNanos;
        String number;
        if (v.endsWith("ms")) {
            unitNanos = 1_000_000L;
            number = v.substring(0, v.length() - 2);
        } else if (v.endsWith("s")) {
            unitNanos = 1_000_000_000L;
            number = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            unitNanos = 60_000_000_000L;
            number = v.substring(0, v.length() - 1);
        } else {
            unitNanos = 1_000_000_000L;
            number = v;
        }
        double amount;
        try {
            amount = Double.parseDouble(number.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 10s, 1m)");
        }
        if (!(amount > 0) || Double.isInfinite(amount) || amount * unitNanos > Long.MAX_VALUE / 2) {
            throw new TypeConversionException("'" + value + "' must be a positive duration (e.g. 500ms, 10s, 1m)");
        }
        return Duration.ofNanos(Math.max(1, Math.round(amount * unitNanos)));
    }
}
