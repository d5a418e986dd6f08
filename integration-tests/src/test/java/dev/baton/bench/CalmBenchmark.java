package dev.baton.bench;

import dev.baton.client.BatonClient;
import dev.baton.client.BatonException;
import dev.baton.client.wire.NodeStatus;
import dev.baton.it.Http;
import dev.baton.it.NodeProcess;
import dev.baton.it.RoleLog;
import dev.baton.it.TestClients;
import dev.baton.it.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Calm under load (numbers, not a test): a 3-node cluster with every CPU saturated by busy-looping
 * processes beside it (bounded by {@code timeout}, killed at the end and by a shutdown hook) and a
 * little write traffic; counts the role transitions the nodes log over the period. Any leader change,
 * FENCED or CANDIDATE transition, or term increase is a false failover (no fault was injected).
 * Usage: {@code scripts/bench.sh calm [--minutes 10] [--burners N] [--out FILE.json] [--node-opts "..."]}.
 */
public final class CalmBenchmark {

    private static final List<Process> BURNERS = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        double minutes = 10;
        int burners = Runtime.getRuntime().availableProcessors();
        Path out = Path.of("target", "bench", "calm.json");
        List<String> nodeOptions = new ArrayList<>();
        long writeEveryMs = 100;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> minutes = Double.parseDouble(args[++i]);
                case "--burners" -> burners = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--node-opts" -> nodeOptions.addAll(Arrays.asList(args[++i].trim().split("\\s+")));
                case "--write-every-ms" -> writeEveryMs = Long.parseLong(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("Usage: scripts/bench.sh calm [--minutes M (10)] [--burners N (CPUs)] "
                            + "[--out FILE.json (integration-tests/target/bench/calm.json)] [--node-opts \"...\"] "
                            + "[--write-every-ms MS (100)]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(CalmBenchmark::killBurners, "bench-burner-reaper"));
        run(minutes, burners, out.toAbsolutePath(), nodeOptions, writeEveryMs);
        System.exit(0);
    }

    private static void run(double minutes, int burners, Path out, List<String> nodeOptions, long writeEveryMs)
            throws Exception {
        long periodNanos = (long) (minutes * 60e9);
        Map<String, Object> json = new LinkedHashMap<>();
        try (TestCluster cluster = BenchCluster.start("bench-calm", 3, nodeOptions);
                BatonClient client = TestClients.builder(cluster)
                        .requestTimeout(Duration.ofSeconds(1))
                        .deadline(Duration.ofSeconds(10))
                        .build()) {
            // the same ACTIVE for 2 s: start-up transitions are over before the window opens
            TestCluster.Active first = cluster.awaitSettled(Duration.ofSeconds(2), TestCluster.WAIT.multipliedBy(2));
            long start = System.nanoTime();
            startBurners(burners, (long) Math.ceil(minutes * 60) + 30);
            System.out.printf("[bench] calm: %s ACTIVE at term %d; %d CPU burner(s) for %.1f min; a write every %d ms%n",
                    first.id(), first.term(), burners, minutes, writeEveryMs);

            List<Double> latencies = new ArrayList<>();
            long failures = 0;
            long seq = 0;
            long nextReport = start + 30_000_000_000L;
            long nextStatus = start;
            Map<String, Long> rolesSeen = new TreeMap<>();
            long maxTermSeen = first.term();
            while (System.nanoTime() - start < periodNanos) {
                long t0 = System.nanoTime();
                try {
                    client.put("calm/" + (seq++ % 1000), "v" + seq);
                    latencies.add((System.nanoTime() - t0) / 1e6);
                } catch (BatonException e) {
                    failures++;
                    System.out.printf("[bench] write failed: %s%n", e);
                }
                if (System.nanoTime() >= nextStatus) {
                    for (Optional<NodeStatus> s : cluster.statusesNow().values()) {
                        if (s.isPresent()) {
                            rolesSeen.merge(s.get().role(), 1L, Long::sum);
                            maxTermSeen = Math.max(maxTermSeen, s.get().term());
                        } else {
                            rolesSeen.merge("(no answer)", 1L, Long::sum);
                        }
                    }
                    nextStatus = System.nanoTime() + 1_000_000_000L;
                }
                if (System.nanoTime() >= nextReport) {
                    System.out.printf("[bench] calm: %.1f min, %d writes (%d failed), max term %d, load %s%n",
                            (System.nanoTime() - start) / 60e9, latencies.size(), failures, maxTermSeen, BenchCluster.loadavg());
                    nextReport += 30_000_000_000L;
                }
                long sleep = writeEveryMs - (System.nanoTime() - t0) / 1_000_000;
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
            }
            long end = System.nanoTime();
            String load = BenchCluster.loadavg();
            killBurners();
            TestCluster.Active last;
            boolean settled = true;
            try {
                last = cluster.awaitSettled();
            } catch (RuntimeException | AssertionError e) {
                // a cluster that does not recover once the load is gone is the worst outcome: report it
                settled = false;
                System.out.printf("[bench] cluster NOT settled within %s after the load ended: %s%n", TestCluster.WAIT, e);
                last = new TestCluster.Active(first.node(), maxTermSeen);
            }

            Map<String, Long> transitions = new TreeMap<>();
            List<String> lines = new ArrayList<>();
            Map<String, String> logs = new LinkedHashMap<>();
            for (NodeProcess n : cluster.nodes()) {
                logs.put(n.id(), n.log());
                for (RoleLog.Transition t : RoleLog.parse(n.id(), n.log())) {
                    if (t.mono() >= start && t.mono() <= end) {
                        transitions.merge(t.role(), 1L, Long::sum);
                        lines.add(t.toString());
                    }
                }
            }
            int overlaps = RoleLog.overlaps(RoleLog.activeIntervals(logs, Map.of(), end)).size();
            long termChanges = last.term() - first.term();
            boolean leaderChanged = !last.id().equals(first.id());
            long falseFailovers = Math.max(termChanges, leaderChanged ? 1 : 0);
            Stats lat = Stats.of(latencies);

            System.out.printf("%n=== calm under load: 3 nodes, %d CPUs, %d burner(s), %.1f min, node options %s ===%n",
                    Runtime.getRuntime().availableProcessors(), burners, minutes,
                    nodeOptions.isEmpty() ? "(defaults)" : nodeOptions);
            System.out.printf("  load average at the end: %s%n", load);
            System.out.printf("  ACTIVE: %s term %d -> %s term %d (term changes %d)%n",
                    first.id(), first.term(), last.id(), last.term(), termChanges);
            System.out.printf("  role transitions logged in the window: %s%n", transitions.isEmpty() ? "none" : transitions);
            lines.forEach(l -> System.out.println("    " + l));
            System.out.printf("  roles seen in 1 s status polls: %s%n", rolesSeen);
            System.out.printf("  writes: %d acknowledged, %d failed%n%s%n%s%n", latencies.size(), failures,
                    Stats.header(), lat.row("write latency"));
            System.out.printf("  false failovers: %d   overlapping ACTIVE intervals: %d   settled after the load: %s%n",
                    falseFailovers, overlaps, settled);

            json.put("benchmark", "calm");
            json.put("minutes", minutes);
            json.put("burners", burners);
            json.put("cpus", Runtime.getRuntime().availableProcessors());
            json.put("nodeOptions", nodeOptions);
            json.put("loadAverageAtEnd", load);
            json.put("activeBefore", Map.of("id", first.id(), "term", first.term()));
            json.put("activeAfter", Map.of("id", last.id(), "term", last.term()));
            json.put("termChanges", termChanges);
            json.put("falseFailovers", falseFailovers);
            json.put("settledAfterLoad", settled);
            json.put("writeFailures", failures);
            json.put("transitions", transitions);
            json.put("transitionLines", lines);
            json.put("rolesSeenInPolls", rolesSeen);
            json.put("overlappingActiveIntervals", overlaps);
            json.put("writesAcknowledged", latencies.size());
            json.put("writesFailed", failures);
            json.put("writeLatencyMs", lat.json());
        } finally {
            killBurners();
        }
        Files.createDirectories(out.getParent());
        Http.JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), json);
        System.out.println("JSON: " + out);
    }

    /** N busy-looping shells, each ended by {@code timeout} after {@code seconds} at the latest. */
    private static synchronized void startBurners(int n, long seconds) throws IOException {
        for (int i = 0; i < n; i++) {
            BURNERS.add(new ProcessBuilder("timeout", "-s", "KILL", Long.toString(seconds), "sh", "-c", "while :; do :; done")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start());
        }
    }

    private static synchronized void killBurners() {
        for (Process p : BURNERS) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        BURNERS.clear();
    }
}
