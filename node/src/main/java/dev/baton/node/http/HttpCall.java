package dev.baton.node.http;

import java.io.IOException;

/**
 * One HTTP request and its one answer, whatever server carries them: the handlers are written
 * against this, and each server has an adapter.
 *
 * <p>Threading: the request side ({@link #method} to {@link #body}) is read by the thread the
 * server dispatched the call on. The answer ({@link #setHeader}, then {@link #send} or {@link
 * #stream}) may be written from any thread, typically a responder once consensus completes, but
 * by one thread at a time, and exactly once: a second {@code send} is a bug and is ignored.
 */
interface HttpCall {

    String method();

    /** The path as sent, still percent-encoded. */
    String rawPath();

    /** The query as sent, without the '?'; null if there is none. */
    String rawQuery();

    /** The first value of a request header (names are case-insensitive), or null. */
    String header(String name);

    /**
     * The request body; more than {@code max} bytes (declared or sent) is refused with 413
     * ({@link ApiException}, code {@code VALUE_TOO_LARGE}).
     */
    byte[] body(int max) throws IOException;

    /** Sets a response header; only before {@link #send} or {@link #stream}. */
    void setHeader(String name, String value);

    /** Answers with a complete body (empty: none) and ends the call; the connection stays open for the next request. */
    void send(int status, String contentType, byte[] body);

    /** Answers 200 with a body of unknown length, written piece by piece (server-sent events). */
    EventStream stream(String contentType) throws IOException;

    /** The client's address, for logs. */
    String remote();

    /** A long-lived answer body; written by one thread (its owner). */
    interface EventStream {

        /** Writes {@code text} and flushes it to the client; false (and closed) if the client is gone or stuck. */
        boolean write(String text);

        /** Ends the body and closes the call. */
        void close();
    }
}
