package dev.baton.it;

import static org.awaitility.Awaitility.await;

import dev.baton.client.wire.NodeStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * N real node processes on their own loopback addresses. Each cluster takes an address block
 * {@code 127.0.0.<10k+1>..<10k+n>} with k >= 2 (127.0.0.11-19 belong to scripts/cluster.sh), distinct
 * from every other cluster of this test JVM, with JGroups on port 7800 and HTTP on 8080. Files live
 * in {@code target/it-clusters/<name>/<node>/} (data, node.log), wiped when the cluster is created.
 *
 * <p>{@link #close()} stops every process, also after a failure; a JVM shutdown hook
 * ({@link NodeProcess}) catches anything left over. Open clusters are known to
 * {@link NodeLogsOnFailure}, which prints their log tails when a test fails.
 */
public final class TestCluster implements AutoCloseable {

    public static final int RAFT_PORT = 7800;
    public static final int HTTP_PORT = 8080;

    /** Generous bound for elections, restarts and catch-up; tests never assert on timing. */
    public static final Duration WAIT = Duration.ofSeconds(60);

    private static final AtomicInteger NEXT_BLOCK = new AtomicInteger(2);
    private static final int LAST_BLOCK = 24;
    private static final Set<TestCluster> OPEN = ConcurrentHashMap.newKeySet();

    private final String name;
    private final Path dir;
    private final List<NodeProcess> nodes;
    private final Http http = new Http();

    /** The ACTIVE node as its own {@code /v1/status} reports it. */
    public record Active(NodeProcess node, long term) {
        public String id() {
            return node.id();
        }

        public String url() {
            return node.url();
        }
    }

    private TestCluster(String name, Path dir, List<NodeProcess> nodes) {
        this.name = name;
        this.dir = dir;
        this.nodes = List.copyOf(nodes);
    }

    /**
     * Creates (without starting) a cluster of {@code size} nodes n1..n{size}; {@code nodeOptions} are
     * appended to every node's command line (e.g. {@code --max-value-bytes 1024}).
     */
    public static TestCluster create(String name, int size, String... nodeOptions) {
        if (size < 1 || size > 9) {
            throw new IllegalArgumentException("size must be 1..9");
        }
        List<String> hosts = allocateHosts(size);
        Path dir = itDir().resolve(name);
        deleteRecursively(dir);
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < size; i++) {
            members.append(i == 0 ? "" : ",")
                    .append("n").append(i + 1).append('=')
                    .append(hosts.get(i)).append(':').append(RAFT_PORT).append(':').append(HTTP_PORT);
        }
        List<NodeProcess> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String id = "n" + (i + 1);
            nodes.add(new NodeProcess(
                    id, hosts.get(i), RAFT_PORT, HTTP_PORT, members.toString(), dir.resolve(id), List.of(nodeOptions)));
        }
        TestCluster cluster = new TestCluster(name, dir, nodes);
        OPEN.add(cluster);
        System.out.printf("[it] cluster %s: %s (files in %s)%n", name, members, dir);
        return cluster;
    }

    /**
     * Like {@link #create(String, int, String...)}, with extra options for some nodes only:
     * {@code perNode} maps a node id (n1..) to options appended after {@code nodeOptions}, e.g.
     * {@code Map.of("n3", List.of("--no-failover"))}.
     */
    public static TestCluster create(String name, int size, Map<String, List<String>> perNode, String... nodeOptions) {
        TestCluster plain = create(name, size, nodeOptions);
        OPEN.remove(plain);
        List<NodeProcess> nodes = new ArrayList<>();
        for (NodeProcess n : plain.nodes) {
            List<String> options = new ArrayList<>(List.of(nodeOptions));
            options.addAll(perNode.getOrDefault(n.id(), List.of()));
            nodes.add(new NodeProcess(n.id(), n.host(), n.raftPort(), HTTP_PORT, n.membersSpec(), n.dir(), options));
        }
        TestCluster cluster = new TestCluster(name, plain.dir, nodes);
        OPEN.add(cluster);
        return cluster;
    }

    /** Creates and starts the cluster, then waits for an ACTIVE node. */
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

    /** {@code n} loopback addresses of a block no other cluster of this JVM uses, whose ports are free. */
    public static List<String> allocateHosts(int n) {
        while (true) {
            int block = NEXT_BLOCK.getAndIncrement();
            if (block > LAST_BLOCK) {
                throw new IllegalStateException("no free loopback address block left");
            }
            List<String> hosts = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                hosts.add("127.0.0." + (block * 10 + i));
            }
            if (hosts.stream().allMatch(TestCluster::portsFree)) {
                return hosts;
            }
            System.out.printf("[it] address block %s.. is in use, trying the next one%n", hosts.get(0));
        }
    }

    private static boolean portsFree(String host) {
        for (int port : new int[] {RAFT_PORT, RAFT_PORT + 100, HTTP_PORT}) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
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
        Http.Response r = http.get(node.url() + "/v1/status");
        if (r.status() != 200) {
            throw new AssertionError("status of " + node.id() + ": " + r);
        }
        return r.json(NodeStatus.class);
    }

    /** {@code /v1/status} of a node, empty if it is down, hung or answers anything but 200. */
    public Optional<NodeStatus> tryStatus(NodeProcess node) {
        return statusesNow().getOrDefault(node, Optional.empty());
    }

    /** Every node's status, asked in parallel with a short timeout (a hung node answers empty). */
    public Map<NodeProcess, Optional<NodeStatus>> statusesNow() {
        Map<NodeProcess, CompletableFuture<Optional<NodeStatus>>> futures = new LinkedHashMap<>();
        for (NodeProcess n : nodes) {
            futures.put(
                    n,
                    n.isAlive()
                            ? http.getAsync(n.url() + "/v1/status", Duration.ofSeconds(1))
                                    .thenApply(r -> r.status() == 200
                                            ? Optional.of(r.json(NodeStatus.class))
                                            : Optional.<NodeStatus>empty())
                                    .exceptionally(e -> Optional.empty())
                            : CompletableFuture.completedFuture(Optional.empty()));
        }
        Map<NodeProcess, Optional<NodeStatus>> result = new LinkedHashMap<>();
        futures.forEach((n, f) -> result.put(n, f.join()));
        return result;
    }

    /**
     * The one node reporting ACTIVE with a term above {@code termAbove} right now, if exactly one
     * does. Two nodes ACTIVE in the same term is split brain: fails at once.
     */
    public Optional<Active> activeNow(long termAbove) {
        List<Active> actives = new ArrayList<>();
        statusesNow().forEach((n, s) -> s.filter(st -> "ACTIVE".equals(st.role()))
                .ifPresent(st -> actives.add(new Active(n, st.term()))));
        for (int i = 0; i < actives.size(); i++) {
            for (int j = i + 1; j < actives.size(); j++) {
                if (actives.get(i).term() == actives.get(j).term()) {
                    throw new AssertionError("two ACTIVE nodes in term " + actives.get(i).term() + ": "
                            + actives.get(i).id() + " and " + actives.get(j).id());
                }
            }
        }
        List<Active> above = actives.stream().filter(a -> a.term() > termAbove).toList();
        return above.size() == 1 ? Optional.of(above.get(0)) : Optional.empty();
    }

    /** Waits for an ACTIVE node and for every other running node to be its caught-up STANDBY. */
    /**
     * Waits until the cluster is settled: exactly one ACTIVE, and every other live node a STANDBY
     * that follows it and has applied everything it has committed. Leadership may still move while
     * this waits (e.g. an election after a partition heals); the condition is checked afresh each
     * time, against whoever is ACTIVE then.
     */
    public Active awaitSettled() {
        AtomicReference<Active> settled = new AtomicReference<>();
        AtomicReference<String> last = new AtomicReference<>("no answer yet");
        await("settled cluster " + name + " (one ACTIVE, every other node a caught-up STANDBY following it)")
                .atMost(WAIT.multipliedBy(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Map<NodeProcess, Optional<NodeStatus>> now = statusesNow();
                    List<Map.Entry<NodeProcess, NodeStatus>> actives = new ArrayList<>();
                    now.forEach((n, st) -> st.filter(x -> "ACTIVE".equals(x.role())).ifPresent(x -> actives.add(Map.entry(n, x))));
                    if (actives.size() != 1) {
                        last.set(actives.size() + " ACTIVE nodes");
                        return false;
                    }
                    NodeProcess activeNode = actives.get(0).getKey();
                    NodeStatus active = actives.get(0).getValue();
                    for (Map.Entry<NodeProcess, Optional<NodeStatus>> e : now.entrySet()) {
                        if (e.getKey() == activeNode || !e.getKey().isAlive()) {
                            continue;
                        }
                        NodeStatus st = e.getValue().orElse(null);
                        boolean ok = st != null && "STANDBY".equals(st.role()) && st.leader() != null
                                && activeNode.id().equals(st.leader().id()) && st.appliedIndex() >= active.commitIndex();
                        if (!ok) {
                            last.set(e.getKey().id() + " is " + (st == null ? "unreachable" : st.role() + " following "
                                    + (st.leader() == null ? "nobody" : st.leader().id()) + " at applied " + st.appliedIndex())
                                    + "; ACTIVE " + activeNode.id() + " committed " + active.commitIndex());
                            return false;
                        }
                    }
                    settled.set(new Active(activeNode, active.term()));
                    return true;
                });
        return settled.get();
    }

    public Active awaitActive() {
        return awaitActive(0);
    }

    /** Waits (up to {@link #WAIT}) until exactly one node reports ACTIVE with a term above {@code termAbove}. */
    public Active awaitActive(long termAbove) {
        return awaitActive(termAbove, Duration.ofMillis(100));
    }

    public Active awaitActive(long termAbove, Duration pollInterval) {
        AtomicReference<Active> found = new AtomicReference<>();
        await("exactly one ACTIVE node with term > " + termAbove + " in " + name)
                .atMost(WAIT)
                .pollDelay(Duration.ZERO)
                .pollInterval(pollInterval)
                .until(() -> {
                    Optional<Active> a = activeNow(termAbove);
                    a.ifPresent(found::set);
                    return a.isPresent();
                });
        return found.get();
    }

    /**
     * Waits until {@code node} is STANDBY, names {@code active} as leader and has applied at least
     * everything the active had committed when this call started.
     */
    public NodeStatus awaitCaughtUpStandby(NodeProcess node, Active active) {
        long target = statusOf(active.node()).commitIndex();
        AtomicReference<NodeStatus> last = new AtomicReference<>();
        await(node.id() + " STANDBY following " + active.id() + " with appliedIndex >= " + target)
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .failFast("node " + node.id() + " exited", () -> !node.isAlive())
                .until(() -> {
                    Optional<NodeStatus> s = tryStatus(node);
                    s.ifPresent(last::set);
                    return s.filter(st -> "STANDBY".equals(st.role())
                                    && st.leader() != null
                                    && active.id().equals(st.leader().id())
                                    && st.appliedIndex() >= target)
                            .isPresent();
                });
        return last.get();
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
        CompletableFuture.allOf(nodes.stream()
                        .map(n -> CompletableFuture.runAsync(() -> n.terminate(5)))
                        .toArray(CompletableFuture[]::new))
                .join();
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
