package dev.baton.client.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedSelectorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.ssl.TLS;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.DeadlineTimeoutException;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Transport} over Apache HttpClient 5 (async, HTTP/1.1 only, pooled keep-alive connections),
 * redirects never followed by the library, no automatic retries: {@link RetryPolicy} alone decides.
 *
 * <p>Why not {@code java.net.http}: its {@code sendAsync} hands every answer to the default
 * {@code CompletableFuture} executor, which on a machine of 2 cores (common pool parallelism 1) is
 * a new thread per request (13,600 threads started in 30 s of load, JFR), on top of its own
 * selector and executor hops. Measured on 2 cores, one shared client, writes at 64 in flight:
 * java.net.http 955 µs client CPU per write, this transport 94 µs (see the commit message).
 *
 * <p>Threads: {@link #IO_THREADS} daemon I/O dispatcher threads of the library complete the
 * returned futures, so work chained onto them must not block. Cancelling a future completes it at
 * once, and its connection is closed as soon as any answer byte arrives ({@link
 * AbandonableConsumer}); a node that sends nothing keeps the connection until the attempt's
 * response timeout. Thread-safe.
 */
public final class ApacheTransport implements Transport, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApacheTransport.class);

    /** One dispatcher carried 64 in flight at a fraction of a core; more only spread that thin work. */
    static final int IO_THREADS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors() / 2));
    /** Idle pooled connections are checked before reuse, so a node's closed keep-alive is not sent on. */
    private static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.ofSeconds(1);
    /** No practical limit: each attempt and long-poll needs its own connection, as with one per request. */
    private static final int MAX_CONNECTIONS = 10_000;

    private static final TimeValue SHUTDOWN_WAIT = TimeValue.ofMilliseconds(500);

    private final CloseableHttpAsyncClient http;
    /** Futures not yet completed, so that {@link #close} can complete them. */
    private final Set<CompletableFuture<Outcome>> pending = ConcurrentHashMap.newKeySet();

    /** Plain HTTP, and HTTPS with the JDK's default trust. */
    public ApacheTransport(Duration connectTimeout) {
        this(connectTimeout, null);
    }

    /**
     * @param connectTimeout bound of establishing one connection
     * @param tls the trust (and client certificate) of https URLs; null = the JDK's default
     */
    public ApacheTransport(Duration connectTimeout, SSLContext tls) {
        PoolingAsyncClientConnectionManagerBuilder pool = PoolingAsyncClientConnectionManagerBuilder.create();
        if (tls != null) {
            pool.setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(tls).setTlsVersions(TLS.V_1_3, TLS.V_1_2).buildAsync());
        }
        this.http = HttpAsyncClients.custom()
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(IO_THREADS).build())
                .setIoReactorExceptionCallback(ApacheTransport::reactorFailed)
                .setConnectionManager(pool
                        .setMaxConnTotal(MAX_CONNECTIONS)
                        .setMaxConnPerRoute(MAX_CONNECTIONS)
                        // plain http is HTTP/1.1 anyway; with TLS, no HTTP/2 negotiation either
                        .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout))
                                .setValidateAfterInactivity(VALIDATE_AFTER_INACTIVITY)
                                .build())
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableConnectionState()
                .build();
        this.http.start();
    }

    @Override
    public CompletableFuture<Outcome> send(HttpRequest request) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        pending.add(outcome);
        Future<SimpleHttpResponse> exchange;
        try {
            exchange = http.execute(SimpleRequestProducer.create(toApache(request)),
                    new AbandonableConsumer<>(SimpleResponseConsumer.create(), outcome), new FutureCallback<>() {
                @Override
                public void completed(SimpleHttpResponse response) {
                    byte[] body = response.getBodyBytes();
                    outcome.complete(new Outcome.Answer(response.getCode(), headers(response.getHeaders()),
                            body == null ? new byte[0] : body));
                }

                @Override
                public void failed(Exception e) {
                    outcome.complete(failure(e));
                }

                @Override
                public void cancelled() {
                    outcome.complete(Outcome.Failed.of(new CancellationException("exchange cancelled")));
                }
            });
        } catch (RuntimeException e) {
            pending.remove(outcome);
            return CompletableFuture.completedFuture(Outcome.Failed.of(e));
        }
        outcome.whenComplete((o, e) -> {
            pending.remove(outcome);
            if (outcome.isCancelled()) {
                exchange.cancel(true);
            }
        });
        return outcome;
    }

    /**
     * Ends every exchange (each pending future completes as failed: BROKEN, as it may have been
     * sent) and closes the connections.
     * The I/O threads are asked to stop first and given {@link #SHUTDOWN_WAIT} to do so: closing
     * their selectors under them at once made the library log a ClosedSelectorException as an
     * error (seen at the end of every benchmark phase).
     */
    @Override
    public void close() {
        http.initiateShutdown();
        try {
            http.awaitShutdown(SHUTDOWN_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            http.close(CloseMode.IMMEDIATE);
            // the library drops the callbacks of exchanges still open at shutdown
            Outcome.Failed closed = new Outcome.Failed(Outcome.FailureKind.BROKEN, "client closed", null);
            List.copyOf(pending).forEach(f -> f.complete(closed));
        }
    }

    /**
     * What an I/O thread could not handle (the library's default logs it at ERROR). HttpCore 5
     * terminates a reactor on two threads when it is closed while its thread is still winding
     * down: one closes the selector, the other then reads its keys and gets a
     * ClosedSelectorException. That is the close we asked for, not a failure.
     */
    private static void reactorFailed(Exception e) {
        if (e instanceof ClosedSelectorException) {
            log.debug("I/O reactor closed while terminating", e);
        } else {
            log.warn("HTTP client I/O thread failed: {}", e.toString(), e);
        }
    }

    /**
     * The request's timeout bounds the pool lease and each wait for answer bytes (the library has no
     * whole-exchange bound; a Baton answer is small, so one wait is the exchange).
     */
    private static SimpleHttpRequest toApache(HttpRequest request) {
        SimpleRequestBuilder b = SimpleRequestBuilder.create(request.method()).setUri(request.uri());
        request.headers().map().forEach((name, values) -> values.forEach(v -> b.addHeader(name, v)));
        byte[] body = RequestBodies.bytes(request);
        if (body != null) {
            String type = request.headers().firstValue("Content-Type").orElse(ContentType.APPLICATION_OCTET_STREAM.toString());
            b.setBody(body, ContentType.parse(type));
        }
        request.timeout().ifPresent(t -> b.setRequestConfig(RequestConfig.custom()
                .setConnectionRequestTimeout(Timeout.of(t))
                .setResponseTimeout(Timeout.of(t))
                .build()));
        return b.build();
    }

    /**
     * The library's failures in the terms of {@link Outcome.Failed#of}: a refused or timed-out connect
     * and a pool that gave no connection in time never sent the request; a read timeout may have.
     */
    static Outcome.Failed failure(Throwable e) {
        if (e instanceof ConnectTimeoutException) {
            return Outcome.Failed.of(new HttpConnectTimeoutException(e.getMessage()));
        }
        if (e instanceof DeadlineTimeoutException) {
            return new Outcome.Failed(Outcome.FailureKind.NOT_SENT, "no pooled connection in time", e);
        }
        if (e instanceof ConnectException) {
            return Outcome.Failed.of(e);
        }
        if (e instanceof SocketTimeoutException) {
            return Outcome.Failed.of(new HttpTimeoutException("request timed out: " + e.getMessage()));
        }
        if (e instanceof IOException || e instanceof RuntimeException) {
            return Outcome.Failed.of(e);
        }
        return Outcome.Failed.of(new IOException(e));
    }

    private static HttpHeaders headers(Header[] headers) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Header h : headers) {
            map.computeIfAbsent(h.getName(), k -> new ArrayList<>(1)).add(h.getValue());
        }
        return HttpHeaders.of(map, (name, value) -> true);
    }
}
