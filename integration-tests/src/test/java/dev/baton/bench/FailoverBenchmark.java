package dev.baton.bench;

import dev.baton.bench.FailoverTrial.Kind;
import dev.baton.client.BatonClient;
import dev.baton.it.NetworkPartition;
import dev.baton.it.TestClients;
import dev.baton.it.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Failover benchmark (numbers, not a test): a real 3-node cluster, a writer sending writes one at a
 * time through {@link BatonClient}, and per trial one fault on the ACTIVE:
 *
 * <ul>
 *   <li>{@code crash}: kill -9, then restart it;
 *   <li>{@code hang}: SIGSTOP; SIGCONT once a new ACTIVE is up; the resumed node is probed at once;
 *   <li>{@code partition}: iptables DROP between it and the others (root); probed while cut off; heal;
 *   <li>{@code sigterm}: SIGTERM (graceful hand-over), then restart it.
 *   <li>{@code transfer}: {@code POST /v1/admin/transfer} on the ACTIVE (an operator's switchover).
 * </ul>
 *
 * Per trial: client-observed unavailability = last write acknowledged in the old term → first write
 * acknowledged in a newer term; fault → new ACTIVE (first answer of a {@code waitForTermAbove}
 * long-poll on the other nodes, and the new leader's own {@code became ACTIVE} mono time in its log);
 * for sigterm and transfer also the longest gap between acknowledged writes. Counted: overlapping ACTIVE
 * intervals (node logs, all nodes, whole run), answers served as ACTIVE by the resumed / isolated
 * old leader after the new ACTIVE was reported (200 on /health/active, or a PUT acknowledged in the
 * old term), acknowledged writes missing at the end. Usage: {@code scripts/bench.sh failover --help}.
 *
 * <p>Trials run in {@link TrialRunner}; the tables and the JSON come from {@link FailoverReport}.
 */
public final class FailoverBenchmark {

    /** The command line; times as given. */
    record Options(int trials, List<Kind> kinds, Path out, List<String> nodeOptions, long holdMs, long writePauseMs,
            long takeoverTimeoutS) {}

    private FailoverBenchmark() {}

    public static void main(String[] args) throws Exception {
        Options options = parse(args);
        if (options != null) {
            run(options);
            System.exit(0);
        }
    }

    /** The options, or null after printing the help. */
    private static Options parse(String[] args) {
        int trials = 20;
        List<Kind> kinds = List.of(Kind.values());
        Path out = Path.of("target", "bench", "failover.json");
        List<String> nodeOptions = new ArrayList<>();
        long holdMs = 1000;
        long writePauseMs = 0;
        long takeoverTimeoutS = 20;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--trials" -> trials = Integer.parseInt(args[++i]);
                case "--kinds" -> kinds = Arrays.stream(args[++i].split(","))
                        .map(s -> Kind.valueOf(s.trim().toUpperCase(Locale.ROOT)))
                        .toList();
                case "--out" -> out = Path.of(args[++i]);
                case "--node-opts" -> nodeOptions.addAll(Arrays.asList(args[++i].trim().split("\\s+")));
                case "--hold-ms" -> holdMs = Long.parseLong(args[++i]);
                case "--write-pause-ms" -> writePauseMs = Long.parseLong(args[++i]);
                case "--takeover-timeout-s" -> takeoverTimeoutS = Long.parseLong(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("""
                            Usage: scripts/bench.sh failover [--trials N (20)] [--kinds crash,hang,partition,sigterm,transfer]
                                   [--out FILE.json (integration-tests/target/bench/failover.json)]
                                   [--node-opts "--fd-timeout-ms 500 ..."] [--hold-ms MS (1000: how long a hang
                                   or partition lasts after the new ACTIVE is reported)] [--write-pause-ms MS (0)]
                                   [--takeover-timeout-s S (20: a trial without a new ACTIVE by then fails)]""");
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
            }
        }
        if (kinds.contains(Kind.PARTITION)) {
            String reason = NetworkPartition.unavailableReason();
            if (reason != null) {
                System.out.println("[bench] partition trials SKIPPED: " + reason);
                kinds = kinds.stream().filter(k -> k != Kind.PARTITION).toList();
            }
        }
        return new Options(trials, kinds, out.toAbsolutePath(), nodeOptions, holdMs, writePauseMs, takeoverTimeoutS);
    }

    private static void run(Options o) throws Exception {
        TestCluster cluster = BenchCluster.start("bench-failover", 3, o.nodeOptions());
        List<FailoverTrial> done = new ArrayList<>();
        Writer writer = null;
        TrialRunner runner;
        long endOfRun;
        List<String> lost;
        try {
            TestCluster.Active first = cluster.awaitSettled();
            System.out.printf("[bench] cluster up: %s ACTIVE at term %d; node options %s; %d trial(s) of %s%n",
                    first.id(), first.term(), o.nodeOptions(), o.trials(), o.kinds());
            BatonClient client = TestClients.builder(cluster)
                    .deadline(Duration.ofSeconds(60)) // the default attempt timeout (2 s): what users get
                    .build();
            writer = new Writer(client, o.writePauseMs());
            writer.start();
            runner = new TrialRunner(cluster, writer, o.holdMs(), o.takeoverTimeoutS());
            for (Kind kind : o.kinds()) {
                for (int i = 1; i <= o.trials(); i++) {
                    FailoverTrial t = new FailoverTrial(kind, i);
                    try {
                        runner.run(t);
                    } catch (Exception | AssertionError e) {
                        t.error = e.toString();
                        System.out.printf("[bench] %s #%d FAILED: %s%n", kind, i, e);
                        runner.recover();
                    }
                    t.endNanos = System.nanoTime();
                    done.add(t);
                }
            }
            writer.close();
            lost = FailoverReport.lostWrites(client, writer, runner.probeAcks());
            endOfRun = System.nanoTime();
            client.close();
        } finally {
            if (writer != null) {
                writer.close();
            }
            cluster.close();
        }
        FailoverReport.write(new FailoverReport.Run(o.nodeOptions(), o.trials(), o.holdMs(), o.kinds(), done, writer, runner,
                o.out()), cluster, endOfRun, lost);
    }
}
