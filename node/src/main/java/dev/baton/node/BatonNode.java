package dev.baton.node;

import dev.baton.node.config.ConfigException;
import dev.baton.node.config.MemberSpec;
import dev.baton.node.config.NodeConfig;
import dev.baton.node.fencing.HandoverPlan;
import dev.baton.node.hooks.HookRunner;
import dev.baton.node.http.HttpApi;
import dev.baton.node.metrics.NodeMetrics;
import dev.baton.node.raft.RaftConsensus;
import dev.baton.node.role.Role;
import dev.baton.node.role.RoleListener;
import dev.baton.node.role.RoleState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Baton peer: consensus (jgroups-raft) plus the HTTP API. Start with {@link #start}, stop with
 * {@link #close}. Embeddable: role listeners get every transition in order.
 */
public final class BatonNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatonNode.class);

    private final NodeConfig config;
    private final Consensus consensus;
    private final HttpApi http;
    private final HookRunner hooks;

    private BatonNode(NodeConfig config, Consensus consensus, HttpApi http, HookRunner hooks) {
        this.config = config;
        this.consensus = consensus;
        this.http = http;
        this.hooks = hooks;
    }

    /**
     * Checks what can be checked before joining (data dir writable, ports free), joins the cluster
     * and serves HTTP. Bad configuration throws {@link ConfigException} naming the setting.
     */
    public static BatonNode start(NodeConfig config) throws Exception {
        return start(config, List.of());
    }

    /** Starts a node whose listeners see every role transition, from the first one on. */
    static BatonNode start(NodeConfig config, List<RoleListener> listeners) throws Exception {
        preflight(config);
        HookRunner hooks = new HookRunner(config.nodeId(), config.ops().hooks());
        List<RoleListener> all = new ArrayList<>(listeners);
        all.add(hooks);
        RaftConsensus consensus;
        try {
            consensus = RaftConsensus.start(config, all);
            Consensus started = consensus;
            hooks.reasonFrom(() -> {
                var fault = started.view().fault();
                return fault == null ? null : fault.reason();
            });
        } catch (Exception | Error e) {
            hooks.close();
            throw e;
        }
        HttpApi http;
        try {
            NodeMetrics metrics = NodeMetrics.create(config.nodeId(), consensus);
            consensus.observeStorage(metrics.storage());
            hooks.observe(metrics.hooks());
            http = HttpApi.start(config, consensus, hooks::last, metrics);
        } catch (RuntimeException e) {
            consensus.close();
            hooks.close();
            throw e;
        }
        MemberSpec self = config.self();
        log.info("{} serving HTTP on {} (raft {}, data {}, fsync {})", config.nodeId(), config.httpUrl(self), self.raftAddress(),
                config.dataDir().toAbsolutePath(), config.fsync());
        BatonNode node = new BatonNode(config, consensus, http, hooks);
        consensus.onRemoved(node::removed);
        return node;
    }

    /**
     * Builds an embedded node: {@code BatonNode.builder(config).onActive(term -> ...).start()}.
     * Callbacks run on the node's role thread, one at a time, in transition order; keep them short.
     */
    public static Builder builder(NodeConfig config) {
        return new Builder(config);
    }

    /** Embedding: a node with role callbacks. */
    public static final class Builder {
        private final NodeConfig config;
        private final List<RoleListener> listeners = new ArrayList<>();

        private Builder(NodeConfig config) {
            this.config = java.util.Objects.requireNonNull(config, "config");
        }

        /** Called with the term when this node becomes ACTIVE (the term is its fencing token). */
        public Builder onActive(LongConsumer callback) {
            return on(Role.ACTIVE, callback);
        }

        /** Called with the term when this node becomes STANDBY. */
        public Builder onStandby(LongConsumer callback) {
            return on(Role.STANDBY, callback);
        }

        /**
         * Called with the term when this node stops being ACTIVE: its lease lapsed, it stepped down,
         * or its storage failed (then {@link #onUnhealthy} follows).
         */
        public Builder onFenced(LongConsumer callback) {
            java.util.Objects.requireNonNull(callback, "callback");
            listeners.add((from, to) -> {
                boolean fenced = to.role() == Role.FENCED && from.role() != Role.FENCED;
                boolean leftActive = from.role() == Role.ACTIVE && to.role() != Role.ACTIVE;
                if (fenced || leftActive) {
                    callback.accept(leftActive ? from.term() : to.term());
                }
            });
            return this;
        }

        /**
         * Called with the term when this node becomes UNHEALTHY: it cannot persist (disk full,
         * read-only, I/O errors); {@code /v1/status} has the reason. It becomes STANDBY again by itself.
         */
        public Builder onUnhealthy(LongConsumer callback) {
            return on(Role.UNHEALTHY, callback);
        }

        /** Every transition (role, term or leader change). */
        public Builder listener(RoleListener listener) {
            listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
            return this;
        }

        private Builder on(Role role, LongConsumer callback) {
            java.util.Objects.requireNonNull(callback, "callback");
            listeners.add((from, to) -> {
                if (to.role() == role && from.role() != role) {
                    callback.accept(to.term());
                }
            });
            return this;
        }

        /** Joins the cluster and serves HTTP; see {@link BatonNode#start(NodeConfig)}. */
        public BatonNode start() throws Exception {
            return BatonNode.start(config, List.copyOf(listeners));
        }
    }

    static void preflight(NodeConfig config) {
        Path dir = config.dataDir();
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("--data-dir", "'" + dir + "' is not a writable directory: " + e, e);
        }
        MemberSpec self = config.self();
        InetAddress host;
        try {
            host = InetAddress.getByName(self.host());
        } catch (IOException e) {
            throw new ConfigException("--members", "host '" + self.host() + "' of member '" + self.id() + "' does not resolve", e);
        }
        checkFree(host, self.httpPort(), "http port");
        checkFree(host, self.raftPort(), "raft port");
        checkFree(host, self.raftPort() + 100, "failure-detection port (raft port + 100)");
    }

    private static void checkFree(InetAddress host, int port, String what) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new ConfigException("--members", what + " " + port + " on " + host.getHostAddress()
                    + " cannot be bound (in use, or not a local address): " + e.getMessage(), e);
        }
    }

    public NodeConfig config() {
        return config;
    }

    public RoleState role() {
        return consensus.role();
    }

    public void addRoleListener(RoleListener listener) {
        consensus.addRoleListener(listener);
    }

    public Consensus consensus() {
        return consensus;
    }

    /**
     * Runs {@code callback} (on its own thread, with the reason) once this node finds itself removed
     * from the cluster's member table: it has then stopped serving (HTTP and the cluster are
     * closed). Removal is final for this data dir: to come back the node is added again and
     * started with an empty one.
     */
    public void onRemoved(java.util.function.Consumer<String> callback) {
        removedCallback = java.util.Objects.requireNonNull(callback, "callback");
    }

    private volatile java.util.function.Consumer<String> removedCallback = why -> {};
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private void removed(String why) {
        log.error("{}", why);
        Thread t = new Thread(() -> {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            consensus.close();
            http.close();
            hooks.close();
            removedCallback.accept(why);
        }, "baton-removed");
        t.setDaemon(false);
        t.start();
    }

    public int httpPort() {
        return http.port();
    }

    /**
     * Reads the HTTPS certificate files again (for a SIGHUP handler; a file watcher also does it on
     * a change). New connections use them; a bad file keeps the current ones and is logged.
     *
     * @return whether new files are in use; false with plain HTTP
     */
    public boolean reloadTls() {
        return http.reloadTls();
    }

    /**
     * Stops the node. An ACTIVE node hands over first: it steps down (stops serving), lets its
     * demotion hook finish while the followers' promises still keep anyone else from being
     * elected, then hands its term to the most caught-up follower with the same plan as a
     * switchover (that follower is elected while this node is still there to vote), and only then
     * leaves. If the hand-over fails it releases the followers' promises, so the others elect a
     * successor within about one vote round once it has left.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // stopped already (e.g. removed from the cluster)
        }
        log.info("{} stopping", config.nodeId());
        if (consensus.stepDown()) {
            hooks.awaitIdle(Math.min(config.ops().hooks().timeoutMs(), config.timings().demotionHookWaitMs()));
            try {
                // the plan ends by its own deadlines; one step more so that its own failure, not this wait, says why
                long stepNanos = TimeUnit.MILLISECONDS.toNanos(config.timings().switchoverStepMs());
                Consensus.Transfer t = consensus.handOver().get(HandoverPlan.longestNanos(stepNanos) + stepNanos, TimeUnit.NANOSECONDS);
                log.info("{} handed term {} over to {} (term {}) before stopping", config.nodeId(), t.fromTerm(), t.to(), t.term());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                consensus.releaseFollowers();
            } catch (ExecutionException | TimeoutException e) {
                log.warn("{}: hand-over before stopping failed ({}); releasing the followers", config.nodeId(),
                        Failures.cause(e).getMessage());
                consensus.releaseFollowers();
            }
            pause(config.timings().handoverDrainMs());
        }
        consensus.close();
        http.close();
        hooks.close();
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
