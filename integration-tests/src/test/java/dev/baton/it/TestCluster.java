package dev.baton.it;

import dev.baton.client.wire.NodeStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * N real node processes on their own loopback addresses. Each cluster takes a {@link LoopbackBlocks
 * block} {@code 127.0.0.<10k+1>..<10k+n>} that no other cluster of any JVM on this machine holds,
 * with JGroups on port 7800 and HTTP on 8080. Files live in {@code target/it-clusters/<name>/<node>/}
 * (data, node.log), wiped when the cluster is created.
 *
 * <p>What the nodes report is read through {@link ClusterStatus}, and every wait for a role goes
 * through {@link ClusterWaits}; the methods here are their entry points.
 *
 * <p>{@link #close()} stops every process, also after a failure, and gives the address block back;
 * a JVM shutdown hook ({@link NodeProcess}) catches anything left over. Open clusters are known to
 * {@link NodeLogsOnFailure}, which prints their log tails when a test fails.
 */
public final class TestCluster implements AutoCloseable {

    public static final int RAFT_PORT = 7800;
    public static final int HTTP_PORT = 8080;

    /** Generous bound for elections, restarts and catch-up; tests never assert on timing. */
    public static final Duration WAIT = Duration.ofSeconds(60);

    private static final Set<TestCluster> OPEN = ConcurrentHashMap.newKeySet();

    private final String name;
    private final Path dir;
    private final List<NodeProcess> nodes;
    private final LoopbackBlocks.Block block;
    private final Http http;
    private final ClusterStatus status;
    private final ClusterWaits waits;
    /** Set once, before the start, for a cluster of {@link SecureMaterial#cluster}; null: plain. */
    private volatile SecureMaterial secure;

    /** The ACTIVE node as its own {@code /v1/status} reports it. */
    public record Active(NodeProcess node, long term) {
        public String id() {
            return node.id();
        }

        public String url() {
            return node.url();
        }
    }

    private TestCluster(String name, Path dir, List<NodeProcess> nodes, LoopbackBlocks.Block block, Http http) {
        this.http = http;
        this.name = name;
        this.dir = dir;
        this.nodes = List.copyOf(nodes);
        this.block = block;
        this.status = new ClusterStatus(this.nodes, http);
        this.waits = new ClusterWaits(name, status);
    }

    /**
     * Creates (without starting) a cluster of {@code size} nodes n1..n{size}; {@code nodeOptions} are
     * appended to every node's command line (e.g. {@code --max-value-bytes 1024}).
     */
    public static TestCluster create(String name, int size, String... nodeOptions) {
        return create(name, size, Map.of(), nodeOptions);
    }

    /**
     * Like {@link #create(String, int, String...)}, with extra options for some nodes only:
     * {@code perNode} maps a node id (n1..) to options appended after {@code nodeOptions}, e.g.
     * {@code Map.of("n3", List.of("--no-failover"))}.
     */
    public static TestCluster create(String name, int size, Map<String, List<String>> perNode, String... nodeOptions) {
        return create(name, size, null, (id, host) -> perNode.getOrDefault(id, List.of()), nodeOptions);
    }

    /**
     * Like {@link #create(String, int, Map, String...)}, with per-node options made from each
     * node's id and host (e.g. an HTTPS certificate naming the host), and {@link #http()} using
     * {@code tls} for https URLs (null = the JDK's default trust).
     */
    public static TestCluster create(String name, int size, javax.net.ssl.SSLContext tls,
            java.util.function.BiFunction<String, String, List<String>> perNode, String... nodeOptions) {
        LoopbackBlocks.Block block = LoopbackBlocks.take(size);
        List<String> hosts = block.hosts();
        Path dir = itDir().resolve(name);
        deleteRecursively(dir);
        String members = java.util.stream.IntStream.range(0, size)
                .mapToObj(i -> "n" + (i + 1) + "=" + hosts.get(i) + ":" + RAFT_PORT + ":" + HTTP_PORT)
                .collect(Collectors.joining(","));
        List<NodeProcess> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String id = "n" + (i + 1);
            List<String> options = new ArrayList<>(List.of(nodeOptions));
            options.addAll(perNode.apply(id, hosts.get(i)));
            nodes.add(new NodeProcess(id, hosts.get(i), RAFT_PORT, HTTP_PORT, members, dir.resolve(id), options));
        }
        TestCluster cluster = new TestCluster(name, dir, nodes, block, new Http(tls));
        OPEN.add(cluster);
        System.out.printf("[it] cluster %s: %s (%s; files in %s)%n", name, members, block, dir);
        return cluster;
    }

    /** Creates and starts the cluster, then waits until it is settled. */
    public static TestCluster start(String name, int size, String... nodeOptions) {
        TestCluster cluster = create(name, size, nodeOptions);
        try {
            cluster.startAll();
            Active active = cluster.awaitSettled();
            System.out.printf("[it] cluster %s is up: %s ACTIVE at term %d%n", name, active.id(), active.term());
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.dumpLogs(System.out, 60);
            cluster.close();
            throw e;
        }
    }

    /** {@code target/it-clusters} of this module. */
    public static Path itDir() {
        return Path.of("target", "it-clusters").toAbsolutePath();
    }

    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    public List<NodeProcess> nodes() {
        return nodes;
    }

    public NodeProcess node(String id) {
        return nodes.stream()
                .filter(n -> n.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + id + " in " + name));
    }

    public List<NodeProcess> others(NodeProcess node) {
        return nodes.stream().filter(n -> n != node).toList();
    }

    public Http http() {
        return http;
    }

    public void startAll() {
        nodes.forEach(NodeProcess::start);
    }

    /** SIGTERM to every node at once, then wait for all (SIGKILL after the grace period). */
    public void terminateAll() {
        CompletableFuture.allOf(nodes.stream()
                        .map(n -> CompletableFuture.runAsync(n::terminate))
                        .toArray(CompletableFuture[]::new))
                .join();
    }

    /** This node's {@code /v1/status}; fails if it does not answer 200. */
    public NodeStatus statusOf(NodeProcess node) {
        return status.of(node);
    }

    /** {@code /v1/status} of a node, empty if it is down, hung or answers anything but 200. */
    public Optional<NodeStatus> tryStatus(NodeProcess node) {
        return status.tryOf(node);
    }

    /** Every node's status, asked in parallel with a short timeout (a hung node answers empty). */
    public Map<NodeProcess, Optional<NodeStatus>> statusesNow() {
        return status.now();
    }

    /**
     * The one node reporting ACTIVE with a term above {@code termAbove} right now, if exactly one
     * does. Two nodes ACTIVE in the same term is split brain: fails at once.
     */
    public Optional<Active> activeNow(long termAbove) {
        return status.activeNow(termAbove);
    }

    /** Fails if any node reports ACTIVE right now (every answering node asked once). */
    public void assertNoActive() {
        statusesNow().forEach((n, s) -> s.ifPresent(st -> {
            if ("ACTIVE".equals(st.role())) {
                throw new AssertionError(n.id() + " is ACTIVE at term " + st.term() + "; expected no ACTIVE node in " + name);
            }
        }));
    }

    /** See {@link ClusterWaits#awaitSettled}: one ACTIVE, every other running node its caught-up STANDBY. */
    public Active awaitSettled() {
        return waits.awaitSettled(Duration.ZERO, WAIT.multipliedBy(2));
    }

    /** {@link #awaitSettled()}, and the same ACTIVE for {@code stableFor} (benchmarks, between trials). */
    public Active awaitSettled(Duration stableFor, Duration atMost) {
        return waits.awaitSettled(stableFor, atMost);
    }

    public Active awaitActive() {
        return awaitActive(0);
    }

    /** Waits (up to {@link #WAIT}) until exactly one node reports ACTIVE with a term above {@code termAbove}. */
    public Active awaitActive(long termAbove) {
        return awaitActive(termAbove, Duration.ofMillis(100));
    }

    public Active awaitActive(long termAbove, Duration pollInterval) {
        return waits.awaitActive(termAbove, pollInterval);
    }

    /** Waits (up to {@link #WAIT}) until a node reports {@code role} (e.g. PENDING_APPROVAL) with a term above. */
    public ClusterWaits.RoleSeen awaitRole(String role, long termAbove) {
        return waits.awaitRole(role, termAbove);
    }

    /**
     * Waits until {@code node} is STANDBY, names {@code active} as leader and has applied at least
     * everything the active had committed when this call started.
     */
    public NodeStatus awaitCaughtUpStandby(NodeProcess node, Active active) {
        return waits.awaitCaughtUpStandby(node, active);
    }

    /** Restarts every node whose process is not running (crashed or stopped by a test). */
    public void restartDead() {
        nodes.stream().filter(n -> !n.isAlive()).forEach(NodeProcess::restart);
    }

    void secure(SecureMaterial material) {
        this.secure = material;
        http.bearer(material.token());
    }

    /** A client builder seeded with every node; trusting the CA and carrying the token on a secure cluster. */
    public dev.baton.client.BatonClient.Builder clientBuilder() {
        dev.baton.client.BatonClient.Builder b = dev.baton.client.BatonClient.builder().seeds(seeds());
        SecureMaterial m = secure;
        return m == null ? b : m.apply(b);
    }

    /** The nodes' URLs, comma-separated, as {@code --seeds} and the client take them. */
    public String seeds() {
        return nodes.stream().map(NodeProcess::url).collect(Collectors.joining(","));
    }

    /** Prints the last {@code lines} lines of every node's log. */
    public void dumpLogs(PrintStream out, int lines) {
        out.printf("%n[it] ===== cluster %s: last %d log lines of each node =====%n", name, lines);
        for (NodeProcess n : nodes) {
            out.printf("[it] ----- %s (%s, %s) %s -----%n", n.id(), n.url(),
                    n.isAlive() ? "running, pid " + n.pid() : "not running", n.logFile());
            out.println(n.logTail(lines));
        }
        out.printf("[it] ===== end of cluster %s logs =====%n%n", name);
        out.flush();
    }

    static void dumpAllOpen(PrintStream out, int lines) {
        OPEN.forEach(c -> c.dumpLogs(out, lines));
    }

    /** Stops every node (SIGTERM, SIGKILL after a few seconds), in parallel. Data stays on disk. */
    @Override
    public void close() {
        OPEN.remove(this);
        try {
            CompletableFuture.allOf(nodes.stream()
                            .map(n -> CompletableFuture.runAsync(() -> n.terminate(5)))
                            .toArray(CompletableFuture[]::new))
                    .join();
        } finally {
            if (nodes.stream().noneMatch(NodeProcess::isAlive)) {
                block.close(); // else keep it: a node still holds its ports
            }
        }
    }

    private static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }
}
