package dev.baton.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.baton.it.Http;
import dev.baton.it.NodeProcess;
import dev.baton.it.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The cost curve: for each key count, on a fresh 3-node cluster (node defaults, fsync on), load the
 * keys (raw HTTP, 64 in flight), then measure a window of writes to distinct keys (raw HTTP, 64 in
 * flight, keys 0, 1, ... written again, so the count stays), node RSS, the ACTIVE's snapshot (size
 * of {@code snapshot.crc}, the time of its last snapshot as its log records it, and for how long of that
 * its Raft thread was held: the stall writes see), a full-cluster
 * restart (SIGTERM all, start all: until an ACTIVE acknowledges a write) and the catch-up of a
 * follower started with an empty data dir (until its appliedIndex reaches the leader's commitIndex
 * of the moment it was started). Prints a table and writes JSON.
 *
 * <p>Snapshots are RAFT's own: taken when a node's log passes {@code --snapshot-log-bytes} (8 MiB
 * by default), so a key count whose load and window write less than that has no snapshot ({@code
 * -}); pass {@code --node-option --snapshot-log-bytes --node-option N} to see them there.
 *
 * <p>Not a test: run {@code main} from the integration-tests test classpath (scripts/bench.sh
 * scale). Bounded in time: every phase has a timeout (a phase that times out is reported as {@code
 * -} with a note, and the point goes on or ends), and every cluster is closed after its point, also
 * on failure. Options: {@code --help}.
 */
public final class ScaleBenchmark {

    record Options(List<Integer> keyCounts, Duration window, Duration phaseTimeout, Path out, String nodeHeap,
            List<String> nodeOptions) {}

    private static final int IN_FLIGHT = 64;
    private static final Duration POLL = Duration.ofMillis(20);

    private final Options options;
    private final byte[] value = new byte[ThroughputBenchmark.VALUE_BYTES];
    private final Http http = new Http();

    private ScaleBenchmark(Options options) {
        this.options = options;
        Arrays.fill(value, (byte) 'v');
    }

    public static void main(String[] args) throws Exception {
        BenchMain.main("scale", args, ScaleBenchmark::parse, ScaleBenchmark::usage, o -> new ScaleBenchmark(o).run());
    }

    private int run() throws IOException {
        System.setProperty("baton.node.heap", options.nodeHeap()); // read by BatonJar for every node it starts
        Instant started = Instant.now();
        List<ScalePoint> points = new ArrayList<>();
        for (int keys : options.keyCounts()) {
            ScalePoint p = point(keys);
            points.add(p);
            System.out.println(ScalePoint.header());
            System.out.println(p.row());
        }
        System.out.println();
        System.out.println(ScalePoint.table(points));
        writeJson(started, points);
        System.out.println("[bench] wrote " + options.out().toAbsolutePath());
        return points.stream().anyMatch(p -> p.writeOpsPerSec() == null) ? 1 : 0;
    }

    /** One key count on its own cluster; closed at the end whatever happened. */
    private ScalePoint point(int keys) {
        List<String> notes = new ArrayList<>();
        Double loadOps = null, writeOps = null, p50 = null, p99 = null, p999 = null, max = null, snapshotMs = null, snapshotStallMs = null, restartMs = null, restartActiveMs = null,
                catchUpMs = null;
        Long errors = null, snapshotBytes = null, catchUpIndex = null;
        Integer snapshotsTaken = null;
        Map<String, Long> rss = new LinkedHashMap<>();
        System.out.printf("[bench] %d keys: starting a 3-node cluster%n", keys);
        TestCluster cluster = BenchCluster.start("bench-scale-" + keys, 3, options.nodeOptions());
        try {
            TestCluster.Active active = cluster.awaitSettled();
            URI activeUrl = URI.create(active.url());

            RawWriteLoad.Result load = RawWriteLoad.run(activeUrl, IN_FLIGHT, keys, deadline(), value);
            loadOps = load.opsPerSec();
            System.out.printf("[bench] %d keys: loaded %d in %.1f s (%.0f writes/s, %d errors)%n", keys, load.written(),
                    load.seconds(), loadOps, load.errors());
            if (load.written() < keys) {
                notes.add("load wrote only " + load.written() + " keys within " + options.phaseTimeout().toSeconds()
                        + " s: " + load.firstErrors());
            }

            RawWriteLoad.Result window = RawWriteLoad.run(activeUrl, IN_FLIGHT, keys,
                    System.nanoTime() + options.window().toNanos(), value);
            writeOps = window.opsPerSec();
            p50 = window.p50Ms();
            p99 = window.p99Ms();
            p999 = window.p999Ms();
            max = window.maxMs();
            errors = window.errors();
            if (window.written() >= keys) {
                notes.add("window ended early: every key was written again after " + String.format("%.1f s", window.seconds()));
            }
            if (!window.firstErrors().isEmpty()) {
                notes.add("window errors: " + window.firstErrors());
            }
            System.out.printf("[bench] %d keys: window %.0f writes/s, p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n",
                    keys, writeOps, p50, p99, p999, max);

            for (NodeProcess n : cluster.nodes()) {
                rss.put(n.id(), NodeFacts.rssBytes(n));
            }
            long size = NodeFacts.snapshotBytes(active.node());
            List<NodeFacts.SnapshotTaken> taken = NodeFacts.snapshots(active.node());
            snapshotsTaken = cluster.nodes().stream().mapToInt(n -> NodeFacts.snapshots(n).size()).sum();
            if (size >= 0) {
                snapshotBytes = size;
            }
            if (!taken.isEmpty()) {
                snapshotMs = taken.get(taken.size() - 1).millis();
                snapshotStallMs = taken.get(taken.size() - 1).raftThreadMillis();
            } else {
                notes.add("no snapshot on the ACTIVE: its log stayed below --snapshot-log-bytes");
            }

            double[] activeMs = {Double.NaN};
            restartMs = restartAll(cluster, notes, activeMs);
            restartActiveMs = Double.isNaN(activeMs[0]) ? null : activeMs[0];
            if (restartMs != null) {
                long[] index = new long[1];
                catchUpMs = emptyFollowerCatchUp(cluster, notes, index);
                catchUpIndex = index[0];
            }
        } catch (RuntimeException | InterruptedException e) {
            notes.add("stopped early: " + e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        } finally {
            cluster.close();
        }
        return new ScalePoint(keys, loadOps, writeOps, p50, p99, p999, max, errors, rss, snapshotBytes, snapshotMs, snapshotStallMs, snapshotsTaken,
                restartActiveMs, restartMs, catchUpMs, catchUpIndex, notes);
    }

    /**
     * SIGTERM to all, then start all: ms from the start until an ACTIVE acknowledges a write; null on
     * timeout. {@code activeMs[0]}: until a node first reported ACTIVE, to tell the election from
     * what follows it.
     */
    private Double restartAll(TestCluster cluster, List<String> notes, double[] activeMs) throws InterruptedException {
        cluster.terminateAll();
        long start = System.nanoTime();
        cluster.startAll();
        long deadline = deadline();
        String probe = Http.kvPath("bench-restart-probe");
        activeMs[0] = Double.NaN;
        while (System.nanoTime() < deadline) {
            Optional<TestCluster.Active> a = cluster.activeNow(0);
            if (a.isPresent() && Double.isNaN(activeMs[0])) {
                activeMs[0] = (System.nanoTime() - start) / 1e6;
            }
            if (a.isPresent() && writeAcknowledged(a.get().url() + probe)) {
                double ms = (System.nanoTime() - start) / 1e6;
                System.out.printf("[bench] full restart: %s ACTIVE after %.0f ms, writing after %.0f ms%n", a.get().id(),
                        activeMs[0], ms);
                return ms;
            }
            Thread.sleep(POLL.toMillis());
        }
        notes.add("no ACTIVE acknowledged a write within " + options.phaseTimeout().toSeconds() + " s of the restart");
        return null;
    }

    private boolean writeAcknowledged(String url) {
        try {
            return http.put(url, value).status() == 200;
        } catch (RuntimeException e) {
            return false; // not up yet, or lost the role meanwhile
        }
    }

    /**
     * Stops a follower, deletes its data dir and starts it: ms until its appliedIndex reaches the
     * leader's commitIndex of that moment ({@code index[0]}); null on timeout.
     */
    private Double emptyFollowerCatchUp(TestCluster cluster, List<String> notes, long[] index) throws InterruptedException {
        TestCluster.Active active = cluster.awaitSettled();
        NodeProcess follower = cluster.others(active.node()).get(0);
        follower.terminate();
        deleteRecursively(follower.dataDir());
        long target = cluster.statusOf(active.node()).commitIndex();
        index[0] = target;
        long start = System.nanoTime();
        follower.start();
        long deadline = deadline();
        while (System.nanoTime() < deadline) {
            if (cluster.tryStatus(follower).filter(s -> s.appliedIndex() >= target).isPresent()) {
                double ms = (System.nanoTime() - start) / 1e6;
                System.out.printf("[bench] empty %s caught up to index %d after %.0f ms%n", follower.id(), target, ms);
                return ms;
            }
            if (!follower.isAlive()) {
                notes.add("the empty follower " + follower.id() + " exited (code " + follower.exitCode() + ")");
                return null;
            }
            Thread.sleep(POLL.toMillis());
        }
        notes.add("the empty follower " + follower.id() + " did not reach index " + target + " within "
                + options.phaseTimeout().toSeconds() + " s");
        return null;
    }

    private long deadline() {
        return System.nanoTime() + options.phaseTimeout().toNanos();
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private void writeJson(Instant started, List<ScalePoint> points) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "scale");
        doc.put("started", started.toString());
        doc.put("finished", Instant.now().toString());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("nodes", 3);
        config.put("client", "raw-http");
        config.put("inflight", IN_FLIGHT);
        config.put("keyBytes", ThroughputBenchmark.KEY_BYTES);
        config.put("valueBytes", ThroughputBenchmark.VALUE_BYTES);
        config.put("windowSeconds", options.window().toMillis() / 1000.0);
        config.put("phaseTimeoutSeconds", options.phaseTimeout().toSeconds());
        config.put("nodeHeap", options.nodeHeap());
        config.put("nodeOptions", options.nodeOptions());
        config.put("cores", Runtime.getRuntime().availableProcessors());
        config.put("java", System.getProperty("java.version"));
        doc.put("config", config);
        doc.put("results", points);
        Path out = options.out().toAbsolutePath();
        Files.createDirectories(out.getParent());
        Files.write(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(doc));
    }

    static String usage() {
        return String.join("\n",
                "usage: ScaleBenchmark [--keys-list 10000,100000,1000000] [--duration S] [--phase-timeout S]",
                "                      [--node-heap SIZE] [--out FILE.json] [--node-option ARG]...",
                "  --keys-list L     key counts, each on a fresh 3-node cluster (default 10000,100000,1000000)",
                "  --duration S      measuring window of writes, seconds (default 10)",
                "  --phase-timeout S bound of each phase: load, restart, catch-up (default 300)",
                "  --node-heap SIZE  -Xmx of each node (default 1g, room for 1M keys; the test harness's own default is 256m)",
                "  --out FILE        JSON results (default integration-tests/target/bench/scale.json)",
                "  --node-option A   pass A to every node (repeat; e.g. --node-option --snapshot-log-bytes --node-option 262144)");
    }

    /** Null for --help. */
    static Options parse(String[] args) {
        List<Integer> keyCounts = List.of(10_000, 100_000, 1_000_000);
        Duration window = Duration.ofSeconds(10);
        Duration phaseTimeout = Duration.ofSeconds(300);
        Path out = Path.of("target", "bench", "scale.json");
        String nodeHeap = "1g";
        List<String> nodeOptions = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                return null;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--keys-list" -> keyCounts = Arrays.stream(v.split(",")).map(String::trim).map(s -> positive(a, s)).toList();
                case "--duration" -> window = Duration.ofMillis(Math.round(positive(a, v) * 1000L));
                case "--phase-timeout" -> phaseTimeout = Duration.ofSeconds(positive(a, v));
                case "--out" -> out = Path.of(v);
                case "--node-heap" -> {
                    if (!v.matches("[0-9]+[kmgKMG]?")) {
                        throw new IllegalArgumentException("--node-heap must be a JVM heap size such as 512m or 1g, got '" + v + "'");
                    }
                    nodeHeap = v;
                }
                case "--node-option" -> nodeOptions.add(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        for (int k : keyCounts) {
            if (k > 1_000_000) {
                throw new IllegalArgumentException("--keys-list: at most 1000000 keys (16-byte keys), got " + k);
            }
        }
        return new Options(keyCounts, window, phaseTimeout, out, nodeHeap, List.copyOf(nodeOptions));
    }

    private static int positive(String option, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs positive integers, got '" + v + "'");
        }
    }
}
