package dev.baton.bench;

import dev.baton.client.BatonClient;
import dev.baton.client.internal.ClientTls;
import dev.baton.it.TestCertificates;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The {@code --secure} mode of a benchmark, one per JVM: a keytool CA, per node a peer TLS
 * keystore (SAN {@code URI:baton:member:ID}) and an HTTPS keystore (SAN {@code IP:host}), one admin
 * token in a token file; every request of the benchmark then goes over HTTPS with that token.
 *
 * <p>Contract: {@link #enable(Path)} is called by the benchmark's main before any benchmark class
 * sends a request (the static HTTP clients of {@link Probe}, {@link ActiveTracker} and
 * {@link NewActiveWatch} read it when their class is first used), and never undone. Without it
 * every method here is the identity (plain HTTP, no token).
 */
final class BenchSecurity {

    private static volatile Material material;

    private record Material(TestCertificates ca, SSLContext context, String token, Path tokenFile) {}

    private BenchSecurity() {}

    /** Makes the CA and the token under {@code dir} (wiped first). */
    static void enable(Path dir) throws IOException, InterruptedException {
        if (Files.exists(dir)) {
            try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
        TestCertificates ca = TestCertificates.newCa(dir, "bench-ca");
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Path tokenFile = dir.resolve("tokens");
        Files.writeString(tokenFile, "bench admin sha256:" + sha256Hex(token) + "\n", StandardCharsets.UTF_8);
        material = new Material(ca, ClientTls.context(ca.caPem(), null, null), token, tokenFile);
        System.out.printf("[bench] secure mode: peer TLS + HTTPS + admin token (files in %s)%n", dir);
    }

    static boolean enabled() {
        return material != null;
    }

    /** "secure" or "plain", for reports. */
    static String modeName() {
        return enabled() ? "secure" : "plain";
    }

    /** The options that node {@code id} on {@code host} needs in this mode (none when plain). */
    static List<String> nodeOptions(String id, String host) {
        Material m = material;
        if (m == null) {
            return List.of();
        }
        try {
            List<String> options = new ArrayList<>(m.ca().nodeOptions(id));
            TestCertificates.ServerFiles https = m.ca().serverCertificate(id, host);
            options.addAll(List.of("--http-tls-keystore", https.keystore().toString(), "--http-tls-password-file",
                    m.ca().passwordFile().toString(), "--http-tls-ca", m.ca().caPem().toString(),
                    "--token-file", m.tokenFile().toString()));
            return options;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot make the certificates of " + id, e);
        }
    }

    /** The TLS context trusting the bench CA, or null when plain. */
    static SSLContext context() {
        Material m = material;
        return m == null ? null : m.context();
    }

    /** The admin token, or null when plain. */
    static String token() {
        Material m = material;
        return m == null ? null : m.token();
    }

    static HttpClient.Builder apply(HttpClient.Builder b) {
        SSLContext c = context();
        return c == null ? b : b.sslContext(c);
    }

    static HttpRequest.Builder authorize(HttpRequest.Builder b) {
        String t = token();
        return t == null ? b : b.setHeader("Authorization", "Bearer " + t);
    }

    static BatonClient.Builder apply(BatonClient.Builder b) {
        Material m = material;
        return m == null ? b : b.trust(m.ca().caPem()).token(m.token());
    }

    private static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
