package dev.baton.node.http;

/** A running HTTP server that hands every request, as an {@link HttpCall}, to one dispatcher. */
interface HttpTransport extends AutoCloseable {

    /** The port bound (useful when the configured one was 0). */
    int port();

    /** Stops accepting and closes open connections; calls not yet answered are dropped. */
    @Override
    void close();
}
