package dev.baton.node.http;

/**
 * Settings of the JDK's HTTP server ({@code sun.net.httpserver.*} system properties), which it
 * reads once, when its implementation class loads: {@link #apply()} must run before the first
 * {@code HttpServer.create}. A property already set (e.g. {@code -D} on the command line) wins.
 */
final class ServerTuning {

    private ServerTuning() {}

    static void apply() {
        // The server writes the response headers and the body in separate writes. With Nagle's
        // algorithm on, the body waits for the ACK of the headers, which the peer delays by up to
        // 40 ms. ThroughputBenchmark, 1 request in flight: 36 writes/s (p50 15.8 ms, p99 54 ms)
        // and stale reads p99 49 ms without it; 130-196 writes/s (p50 3.8 ms) and stale reads
        // p50 0.47 ms with it, on a machine shared with other test clusters.
        setDefault("sun.net.httpserver.nodelay", "true");
    }

    private static void setDefault(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}
