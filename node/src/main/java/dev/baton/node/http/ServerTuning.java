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
        // 40 ms: measured 36 writes/s sequential (p50 15.9 ms, p99 54 ms) without this, see
        // ThroughputBenchmark.
        setDefault("sun.net.httpserver.nodelay", "true");
    }

    private static void setDefault(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}
