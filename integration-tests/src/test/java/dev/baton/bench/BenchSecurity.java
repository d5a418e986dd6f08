package dev.baton.bench;

import dev.baton.client.BatonClient;
import dev.baton.it.SecureMaterial;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The {@code --secure} mode of a benchmark, one per JVM: the nodes run with a {@link SecureMaterial}
 * (peer TLS, HTTPS, a token file) and every request of the benchmark goes over HTTPS with its admin
 * token.
 *
 * <p>Contract: {@link #enable(Path)} is called by the benchmark's main before any benchmark class
 * sends a request (the static HTTP clients of {@link Probe}, {@link ActiveTracker} and
 * {@link NewActiveWatch} read it when their class is first used), and never undone. Without it
 * every method here is the identity (plain HTTP, no token).
 */
final class BenchSecurity {

    private static volatile SecureMaterial material;

    private BenchSecurity() {}

    /** Makes the CA and the token under {@code dir} (wiped first). */
    static void enable(Path dir) throws IOException, InterruptedException {
        material = SecureMaterial.create(dir);
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
        SecureMaterial m = material;
        return m == null ? List.of() : m.nodeOptions(id, host);
    }

    /** The TLS context trusting the bench CA, or null when plain. */
    static SSLContext context() {
        SecureMaterial m = material;
        return m == null ? null : m.context();
    }

    /** The admin token, or null when plain. */
    static String token() {
        SecureMaterial m = material;
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
        SecureMaterial m = material;
        return m == null ? b : m.apply(b);
    }
}
