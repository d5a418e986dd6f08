package dev.baton.client.internal;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/**
 * The body bytes of a request built with {@code BodyPublishers.ofByteArray} or {@code noBody}, as
 * the client's calls build them: {@link HttpRequest} stays the {@link Transport} seam's type (the
 * unit tests script on it), and a transport other than {@code java.net.http} needs the bytes.
 */
final class RequestBodies {

    private RequestBodies() {}

    /**
     * @return the body, or null for none (no publisher or an empty one)
     * @throws IllegalArgumentException for a publisher that does not deliver its bytes at once
     */
    static byte[] bytes(HttpRequest request) {
        HttpRequest.BodyPublisher publisher = request.bodyPublisher().orElse(null);
        if (publisher == null || publisher.contentLength() == 0) {
            return null;
        }
        Collector collector = new Collector();
        publisher.subscribe(collector); // the JDK's byte-array publishers deliver within request()
        if (!collector.done) {
            throw new IllegalArgumentException("body of " + request.method() + " " + request.uri()
                    + " is not delivered synchronously" + (collector.error == null ? "" : ": " + collector.error));
        }
        return collector.out.toByteArray();
    }

    /** Used by one thread, within {@link #bytes}. */
    private static final class Collector implements Flow.Subscriber<ByteBuffer> {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean done;
        Throwable error;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ByteBuffer item) {
            byte[] chunk = new byte[item.remaining()];
            item.get(chunk);
            out.write(chunk, 0, chunk.length);
        }

        @Override
        public void onError(Throwable throwable) {
            error = throwable;
        }

        @Override
        public void onComplete() {
            done = true;
        }
    }
}
