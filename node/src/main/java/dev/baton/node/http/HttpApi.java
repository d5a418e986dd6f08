package dev.baton.node.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.baton.client.wire.ErrorCodes;
import dev.baton.node.Consensus;
import dev.baton.node.config.ConfigException;
import dev.baton.node.config.MemberSpec;
import dev.baton.node.config.NodeConfig;
import dev.baton.node.hooks.HookResult;
import dev.baton.node.role.Role;
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
 * The node's HTTP API on the JDK's built-in server (see docs/http-api.md). Routing is by path
 * prefix; every error becomes a JSON body with a stable code.
 */
public final class HttpApi implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService workers;
    private final ExecutorService responders;
    private final ClusterHandler cluster;
    private final HealthHandler health;
    private final KvHandler kv;
    private final LeaderFeed feed;
    private final AdminHandler admin;

    private HttpApi(HttpServer server, NodeView view) {
        this.server = server;
        this.workers = Executors.newFixedThreadPool(8, named("baton-http"));
        this.responders = Executors.newFixedThreadPool(4, named("baton-respond"));
        this.feed = new LeaderFeed(view);
        ServingGate gate = new ServingGate(view, responders, maxHoldMs(view.config), view.config.timings().holdRecheckMs());
        view.consensus.addViewListener(v -> gate.onViewChange());
        this.cluster = new ClusterHandler(view, feed, responders);
        this.health = new HealthHandler(view);
        this.kv = new KvHandler(view, responders, gate);
        this.admin = new AdminHandler(view, responders);
        server.setExecutor(workers);
        server.createContext("/", this::dispatch);
    }

    /** A request reaching a node during an election waits this long at most (see {@code Timings.requestHoldMs}). */
    private static long maxHoldMs(NodeConfig config) {
        return Math.min(config.timings().requestHoldMs(), config.requestTimeoutMs());
    }

    /** Binds the HTTP port of this node's member entry; a port in use is a configuration error. */
    public static HttpApi start(NodeConfig config, Consensus consensus, Supplier<HookResult> lastHook) {
        MemberSpec self = config.self();
        ServerTuning.apply();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(self.host(), self.httpPort()), 1024);
        } catch (BindException e) {
            throw new ConfigException("--members", "http port " + self.httpPort() + " on " + self.host()
                    + " (member '" + self.id() + "') cannot be bound: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ConfigException("--members", "http address " + self.host() + ":" + self.httpPort() + " is unusable: " + e, e);
        }
        HttpApi api = new HttpApi(server, new NodeView(config, consensus, lastHook));
        server.start();
        return api;
    }

    private void dispatch(HttpExchange ex) {
        try {
            route(ex);
        } catch (ApiException e) {
            Exchanges.error(ex, e);
        } catch (RuntimeException | IOException e) {
            Exchanges.internalError(ex, e);
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        Map<String, String> params = Paths.query(ex.getRequestURI().getRawQuery());
        if (path.equals("/v1/kv") || path.startsWith("/v1/kv/")) {
            kv.handle(ex, path.substring("/v1/kv".length()), params);
            return;
        }
        switch (path) {
            case "/v1/sessions" -> post(method, path).run(() -> kv.openSession(ex, params));
            case "/v1/status" -> get(method, path).run(() -> cluster.status(ex));
            case "/v1/leader" -> get(method, path).run(() -> cluster.leader(ex, params));
            case "/v1/leader/watch" -> get(method, path).run(() -> cluster.watch(ex));
            case "/health/active" -> get(method, path).run(() -> health.role(ex, Role.ACTIVE));
            case "/health/standby" -> get(method, path).run(() -> health.role(ex, Role.STANDBY));
            case "/health/live" -> get(method, path).run(() -> health.live(ex));
            case "/v1/admin/promote" -> post(method, path).run(() -> admin.promote(ex));
            case "/v1/admin/maintenance" -> admin.maintenance(ex, params);
            case "/v1/admin/transfer" -> post(method, path).run(() -> admin.transfer(ex, params));
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
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        feed.close();
        server.stop(0);
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
}
