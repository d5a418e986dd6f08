package dev.baton.node.http;

import dev.baton.client.wire.ErrorCodes;
import dev.baton.node.Consensus;
import dev.baton.node.config.ConfigException;
import dev.baton.node.config.MemberSpec;
import dev.baton.node.config.NodeConfig;
import dev.baton.node.hooks.HookResult;
import dev.baton.node.metrics.NodeMetrics;
import dev.baton.node.role.Role;
import dev.baton.node.security.Access;
import dev.baton.node.security.AccessPolicy;
import dev.baton.node.security.HangupSignal;
import dev.baton.node.security.TokenStore;
import dev.baton.node.tls.FileWatcher;
import dev.baton.node.tls.HttpsCredentials;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The node's HTTP API (see docs/http-api.md): binds the server, routes each call by path prefix,
 * and turns every error into a JSON body with a stable code. The server itself is behind {@link
 * HttpTransport}; the handlers see only {@link HttpCall}.
 */
public final class HttpApi implements AutoCloseable {

    private final ExecutorService workers;
    private final ExecutorService responders;
    private final ClusterHandler cluster;
    private final HealthHandler health;
    private final KvHandler kv;
    private final LeaderFeed feed;
    private final AdminHandler admin;
    private final MembersHandler members;
    private final NodeMetrics metrics;
    private final MetricsHandler metricsHandler;
    private final WebAssets web = WebAssets.fromClasspath();
    private final ClusterProbe probe;
    private final HistoryHandler history;
    private final HttpsCredentials tls; // null = plain HTTP
    private final FileWatcher tlsWatcher;
    private final AutoCloseable tlsHangup; // SIGHUP reads the certificate files again at once
    private volatile HttpTransport transport; // set once by start()
    /** Null: no {@code --token-file}, every request is allowed. */
    private final TokenStore tokens;

    private HttpApi(NodeView view, TokenStore tokens, HttpsCredentials tls, NodeMetrics metrics) {
        this.tokens = tokens;
        this.metrics = metrics;
        this.metricsHandler = new MetricsHandler(metrics);
        this.tls = tls;
        this.workers = Executors.newFixedThreadPool(8, named("baton-http"));
        this.responders = Executors.newFixedThreadPool(4, named("baton-respond"));
        this.feed = new LeaderFeed(view);
        ServingGate gate = new ServingGate(view, responders, maxHoldMs(view.config), view.config.timings().holdRecheckMs());
        view.consensus.addViewListener(v -> gate.onViewChange());
        this.cluster = new ClusterHandler(view, feed, responders);
        this.health = new HealthHandler(view);
        this.kv = new KvHandler(view, responders, gate, tls == null ? null : tls.forwarding());
        this.admin = new AdminHandler(view, responders);
        this.members = new MembersHandler(view, responders);
        this.probe = new ClusterProbe(view, responders, tls == null ? null : tls.forwarding(), ClusterProbe.DEFAULT_TIMEOUT_MS);
        this.history = new HistoryHandler(view);
        this.tlsWatcher = tls == null ? null : tls.watch(TLS_POLL_MS);
        this.tlsHangup = tls == null ? null : HangupSignal.addListener(tls::reload);
    }

    /** How often the HTTPS certificate files are checked for a change. */
    static final long TLS_POLL_MS = 1_000;

    /** A request reaching a node during an election waits this long at most (see {@code Timings.requestHoldMs}). */
    private static long maxHoldMs(NodeConfig config) {
        return Math.min(config.timings().requestHoldMs(), config.requestTimeoutMs());
    }

    /**
     * Binds the HTTP port of this node's member entry, HTTPS only with {@link NodeConfig#httpTls()};
     * a port in use or a bad certificate file is a configuration error. Requests are timed into,
     * and {@code GET /metrics} is served from, {@code metrics}.
     */
    public static HttpApi start(NodeConfig config, Consensus consensus, Supplier<HookResult> lastHook, NodeMetrics metrics) {
        MemberSpec self = config.self();
        TokenStore tokens = config.tokenFile() == null ? null : TokenStore.open(config.tokenFile());
        HttpsCredentials tls = config.httpTls() == null ? null : HttpsCredentials.load(config.httpTls(), config.peerTls());
        HttpApi api = new HttpApi(new NodeView(config, consensus, lastHook), tokens, tls, metrics);
        try {
            api.transport = NettyTransport.start(new InetSocketAddress(self.host(), self.httpPort()), api.workers, api::dispatch,
                    config.maxValueBytes(), config.http(), tls == null ? null : tls::newHandler);
        } catch (BindException e) {
            api.close();
            throw new ConfigException("--members", "http port " + self.httpPort() + " on " + self.host()
                    + " (member '" + self.id() + "') cannot be bound: " + e.getMessage(), e);
        } catch (IOException e) {
            api.close();
            throw new ConfigException("--members", "http address " + self.host() + ":" + self.httpPort() + " is unusable: " + e, e);
        }
        return api;
    }

    private void dispatch(HttpCall received) {
        HttpCall call = new TimedCall(received, metrics.requests(), System.nanoTime());
        try {
            authorize(call);
            route(call);
        } catch (ApiException e) {
            Exchanges.error(call, e);
        } catch (RuntimeException | IOException e) {
            Exchanges.internalError(call, e);
        }
    }

    /**
     * The one access check, before routing: a forwarded request arrives here again on the ACTIVE
     * with the same Authorization header and is checked the same way.
     */
    private void authorize(HttpCall call) {
        if (tokens == null) {
            return;
        }
        Access.Decision d = Access.decide(AccessPolicy.required(call.method(), call.rawPath()), call.header("Authorization"), tokens.tokens());
        if (d.allowed()) {
            return;
        }
        if (d.status() == 401) {
            call.setHeader("WWW-Authenticate", "Bearer realm=\"baton\"");
            throw ApiException.of(401, ErrorCodes.UNAUTHORIZED, d.message());
        }
        throw ApiException.of(403, ErrorCodes.FORBIDDEN, d.message());
    }

    private void route(HttpCall call) throws IOException {
        String path = call.rawPath();
        String method = call.method();
        Map<String, String> params = Paths.query(call.rawQuery());
        if (path.equals("/v1/kv") || path.startsWith("/v1/kv/")) {
            kv.handle(call, path.substring("/v1/kv".length()), params);
            return;
        }
        if (path.equals("/v1/admin/members") || path.startsWith("/v1/admin/members/")) {
            members.handle(call, path.substring("/v1/admin/members".length()), params);
            return;
        }
        if (WebAssets.owns(path)) {
            get(method, path).run(() -> web.serve(call));
            return;
        }
        switch (path) {
            case "/v1/sessions" -> post(method, path).run(() -> kv.openSession(call, params));
            case "/v1/status" -> get(method, path).run(() -> cluster.status(call));
            case "/v1/cluster" -> get(method, path).run(() -> probe.cluster(call));
            case "/v1/leader" -> get(method, path).run(() -> cluster.leader(call, params));
            case "/v1/leader/watch" -> get(method, path).run(() -> cluster.watch(call));
            case "/v1/history" -> get(method, path).run(() -> history.history(call, params));
            case "/health/active" -> get(method, path).run(() -> health.role(call, Role.ACTIVE));
            case "/health/standby" -> get(method, path).run(() -> health.role(call, Role.STANDBY));
            case "/health/live" -> get(method, path).run(() -> health.live(call));
            case "/metrics" -> get(method, path).run(() -> metricsHandler.scrape(call));
            case "/v1/admin/promote" -> post(method, path).run(() -> admin.promote(call));
            case "/v1/admin/maintenance" -> admin.maintenance(call, params);
            case "/v1/admin/transfer" -> post(method, path).run(() -> admin.transfer(call, params));
            case "/v1/admin/snapshot" -> get(method, path).run(() -> admin.snapshot(call));
            default -> throw ApiException.of(404, ErrorCodes.NOT_FOUND, "no such path: " + path + " (see docs/http-api.md)");
        }
    }

    private interface Action {
        void run(Runnable r);
    }

    private static Action get(String method, String path) {
        if (!method.equals("GET")) {
            throw ApiException.of(405, ErrorCodes.METHOD_NOT_ALLOWED, method + " " + path + " is not supported; use GET");
        }
        return Runnable::run;
    }

    private static Action post(String method, String path) {
        if (!method.equals("POST")) {
            throw ApiException.of(405, ErrorCodes.METHOD_NOT_ALLOWED, method + " " + path + " is not supported; use POST");
        }
        return Runnable::run;
    }

    public int port() {
        return transport.port();
    }

    /**
     * Reads the HTTPS certificate files again now (as the file watcher does on a change), for a
     * SIGHUP handler; new connections use them, a bad file keeps the current ones (logged).
     *
     * @return whether new files are in use; false also with plain HTTP
     */
    public boolean reloadTls() {
        return tls != null && tls.reload();
    }

    @Override
    public void close() {
        if (tokens != null) {
            tokens.close();
        }
        feed.close();
        if (tlsHangup != null) {
            closeQuietly(tlsHangup);
        }
        if (tlsWatcher != null) {
            tlsWatcher.close();
        }
        if (transport != null) {
            transport.close();
        }
        workers.shutdownNow();
        responders.shutdown();
        try {
            responders.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // removing a listener from a list does not fail; nothing to clean up if it did
        }
    }
}
