package dev.baton.bench;

import dev.baton.client.BatonClient;
import dev.baton.client.Consistency;
import dev.baton.it.Http;
import java.io.IOException;
import java.net.URI;

/**
 * How a benchmark caller thread sends one request: through a {@link BatonClient} (finds the
 * active, follows redirects, retries) or as raw HTTP on its own keep-alive connection straight at
 * the ACTIVE ({@link RawHttpConnection}, like wrk). One instance per caller thread; a
 * {@link BatonClient} may be shared between instances, a connection never is.
 */
interface LoadCaller extends AutoCloseable {

    /** Sends one request of {@code mode} for {@code key}; throws on an error answer or I/O failure. */
    void call(ThroughputBenchmark.Mode mode, String key, byte[] value) throws Exception;

    @Override
    void close();

    /** Through {@code client}, which the caller does not own (not closed here). */
    static LoadCaller batonClient(BatonClient client) {
        return new LoadCaller() {
            @Override
            public void call(ThroughputBenchmark.Mode mode, String key, byte[] value) {
                switch (mode) {
                    case WRITE -> client.put(key, value);
                    case READ -> client.get(key);
                    case STALE_READ -> client.get(key, Consistency.STALE);
                    default -> throw new IllegalStateException(mode.toString());
                }
            }

            @Override
            public void close() {}
        };
    }

    /** PUT, GET and GET {@code ?stale=true} of {@code /v1/kv/<key>} on one connection to {@code active}. */
    static LoadCaller rawHttp(URI active) {
        RawHttpConnection connection = new RawHttpConnection(active);
        return new LoadCaller() {
            @Override
            public void call(ThroughputBenchmark.Mode mode, String key, byte[] value) throws IOException {
                String path = Http.kvPath(key);
                int status = switch (mode) {
                    case WRITE -> connection.put(path, value);
                    case READ -> connection.get(path);
                    case STALE_READ -> connection.get(path + "?stale=true");
                };
                if (status != 200) {
                    throw new RawHttpStatusException(status);
                }
            }

            @Override
            public void close() {
                connection.close();
            }
        };
    }

    /** A raw-HTTP answer other than 200 (e.g. 307 from a node that is no longer the ACTIVE). */
    final class RawHttpStatusException extends IOException {
        RawHttpStatusException(int status) {
            super("HTTP " + status);
        }
    }
}
