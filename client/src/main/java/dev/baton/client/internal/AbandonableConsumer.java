package dev.baton.client.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * A response consumer that fails once its attempt is abandoned, which makes the library close the
 * connection instead of reading the rest of the answer. Cancelling Apache's future alone does not:
 * on HTTP/1.1 it marks the connection not reusable but goes on reading the answer to its end (a
 * 64 MiB answer was read whole after a cancel), and an exchange whose connection was still being
 * opened is not cancellable at all.
 */
final class AbandonableConsumer<T> implements AsyncResponseConsumer<T> {

    private final AsyncResponseConsumer<T> delegate;
    private final Future<?> attempt;

    /** {@code attempt}: the future whose completion (cancel, or close) abandons the exchange. */
    AbandonableConsumer(AsyncResponseConsumer<T> delegate, Future<?> attempt) {
        this.delegate = delegate;
        this.attempt = attempt;
    }

    private void checkWanted() throws InterruptedIOException {
        if (attempt.isDone()) {
            throw new InterruptedIOException("attempt abandoned: closing its connection");
        }
    }

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context, FutureCallback<T> callback)
            throws HttpException, IOException {
        checkWanted();
        delegate.consumeResponse(response, entity, context, callback);
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) throws HttpException, IOException {
        checkWanted();
        delegate.informationResponse(response, context);
    }

    @Override
    public void updateCapacity(CapacityChannel channel) throws IOException {
        checkWanted();
        delegate.updateCapacity(channel);
    }

    @Override
    public void consume(ByteBuffer data) throws IOException {
        checkWanted();
        delegate.consume(data);
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
        delegate.streamEnd(trailers);
    }

    @Override
    public void failed(Exception cause) {
        delegate.failed(cause);
    }

    @Override
    public void releaseResources() {
        delegate.releaseResources();
    }
}
