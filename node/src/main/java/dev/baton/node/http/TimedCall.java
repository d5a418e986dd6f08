package dev.baton.node.http;

import dev.baton.node.metrics.Operations;
import dev.baton.node.metrics.RequestMetrics;
import java.io.IOException;

/**
 * An {@link HttpCall} that records, once, how long it took to be answered: at {@link #send} with
 * its status, or at the start of an event stream (200). A call dropped unanswered (server closing)
 * is not recorded.
 */
final class TimedCall implements HttpCall {

    private final HttpCall call;
    private final RequestMetrics metrics;
    private final String operation;
    private final long startNanos;

    TimedCall(HttpCall call, RequestMetrics metrics, long startNanos) {
        this.call = call;
        this.metrics = metrics;
        this.operation = Operations.of(call.method(), call.rawPath());
        this.startNanos = startNanos;
    }

    @Override
    public String method() {
        return call.method();
    }

    @Override
    public String rawPath() {
        return call.rawPath();
    }

    @Override
    public String rawQuery() {
        return call.rawQuery();
    }

    @Override
    public String header(String name) {
        return call.header(name);
    }

    @Override
    public byte[] body(int max) throws IOException {
        return call.body(max);
    }

    @Override
    public void setHeader(String name, String value) {
        call.setHeader(name, value);
    }

    @Override
    public void send(int status, String contentType, byte[] body) {
        // HttpCall is answered exactly once (a second send is a bug the adapter logs and ignores)
        metrics.observe(operation, status, System.nanoTime() - startNanos);
        call.send(status, contentType, body);
    }

    @Override
    public EventStream stream(String contentType) throws IOException {
        EventStream s = call.stream(contentType);
        metrics.observe(operation, 200, System.nanoTime() - startNanos);
        return s;
    }

    @Override
    public String remote() {
        return call.remote();
    }
}
