package dev.baton.bench;

import dev.baton.bench.FailoverTrial.Kind;
import dev.baton.client.BatonClient;
import dev.baton.it.NetworkPartition;
import dev.baton.it.NodeProcess;
import dev.baton.it.TestClients;
import dev.baton.it.TestCluster;
import java.net.URI;
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
 * <p>With {@code --load W|half} every trial runs twice, idle and under a background write load
 * ({@link BackgroundLoad}: raw HTTP at W writes/s, or at half the maximum measured first with
 * {@link LoadOption}), the two interleaved (idle first in odd trials, loaded first in even ones, so
 * that drift over the run falls on both), and the report sets their figures side by side
 * ({@link FailoverComparison}). The load follows failover; its acknowledged writes are checked at
 * the end like the writer's.
 *
 * <p>Trials run in {@link TrialRunner}; the tables and the JSON come from {@link FailoverReport}.
 */
public final class FailoverBenchmark {

    /** The command line; times as given. */
    record Options(int trials, List<Kind> kinds, Path out, List<String> nodeOptions, long holdMs, long writePauseMs,
            long takeoverTimeoutS, String load, int loadThreads, int loadInflight, long loadWarmupMs, boolean secure) {}

    /** How long the maximum write rate is measured for {@code --load half}, after a warm-up. */
    private static final long MAX_WARMUP_S = 2;
    private static final long MAX_MEASURE_S = 5;

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
        String load = null;
        int loadThreads = 96;
        int loadInflight = 32;
        long loadWarmupMs = 1500;
        boolean secure = false;
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
                case "--load" -> load = args[++i];
                case "--load-threads" -> loadThreads = Integer.parseInt(args[++i]);
                case "--load-inflight" -> loadInflight = Integer.parseInt(args[++i]);
                case "--load-warmup-ms" -> loadWarmupMs = Long.parseLong(args[++i]);
                case "--secure" -> secure = true;
                case "-h", "--help" -> {
                    System.out.println("""
                            Usage: scripts/bench.sh failover [--trials N (20)] [--kinds crash,hang,partition,sigterm,transfer]
                                   [--out FILE.json (integration-tests/target/bench/failover.json)]
                                   [--node-opts "--fd-timeout-ms 500 ..."] [--hold-ms MS (1000: how long a hang
                                   or partition lasts after the new ACTIVE is reported)] [--write-pause-ms MS (0)]
                                   [--takeover-timeout-s S (20: a trial without a new ACTIVE by then fails)]
                                   [--load W|half|0.5x: each trial also under a background write load of W writes/s,
                                   or of a share of the maximum measured first (raw HTTP, 64 in flight, 2 s warm-up +
                                   5 s); idle and loaded trials interleaved, reported side by side with loaded/idle]
                                   [--load-threads N (96: sender threads, one write in flight each)]
                                   [--load-inflight N (32: most load writes in flight to one node; a hung node holds
                                   that many, the other threads go on at the new ACTIVE)]
                                   [--load-warmup-ms MS (1500: load before a loaded trial's settle wait)]
                                   [--secure: peer TLS, HTTPS and an admin token on the nodes; every request of the
                                   benchmark over HTTPS with the token]""");
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
        if (load != null) {
            LoadOption.parse(load); // fails now on a bad value, not after the cluster started
        }
        if (loadThreads < 1 || loadInflight < 1 || loadInflight > loadThreads) {
            throw new IllegalArgumentException("--load-threads and --load-inflight must be >= 1, inflight <= threads");
        }
        return new Options(trials, kinds, out.toAbsolutePath(), nodeOptions, holdMs, writePauseMs, takeoverTimeoutS,
                load, loadThreads, loadInflight, loadWarmupMs, secure);
    }

    private static void run(Options o) throws Exception {
        if (o.secure()) {
            BenchSecurity.enable(TestCluster.itDir().resolve("bench-failover-secure"));
        }
        TestCluster cluster = BenchCluster.start("bench-failover", 3, o.nodeOptions());
        List<FailoverTrial> done = new ArrayList<>();
        Writer writer = null;
        ActiveTracker tracker = null;
        BackgroundLoad load = null;
        LoadOption.Resolved rate = null;
        TrialRunner runner;
        long endOfRun;
        List<String> lost;
        List<String> loadLost = List.of();
        try {
            TestCluster.Active first = cluster.awaitSettled();
            System.out.printf("[bench] %s cluster up: %s ACTIVE at term %d; node options %s; %d trial(s) of %s%s%n",
                    BenchSecurity.modeName(), first.id(), first.term(), o.nodeOptions(), o.trials(), o.kinds(),
                    o.load() == null ? "" : ", each idle and loaded (--load " + o.load() + ")");
            if (o.load() != null) {
                rate = LoadOption.parse(o.load()).resolve(URI.create(first.node().url()), MAX_WARMUP_S, MAX_MEASURE_S);
                tracker = new ActiveTracker(cluster.nodes().stream().map(NodeProcess::url).toList());
                load = new BackgroundLoad(tracker, rate.writesPerSecond(), o.loadThreads(), o.loadInflight());
                System.out.printf("[bench] background load: %.0f writes/s, %d threads, at most %d in flight per node%n",
                        rate.writesPerSecond(), o.loadThreads(), o.loadInflight());
            }
            BatonClient client = BenchSecurity.apply(TestClients.builder(cluster))
                    .deadline(Duration.ofSeconds(60)) // the default attempt timeout (2 s): what users get
                    .build();
            writer = new Writer(client, o.writePauseMs());
            writer.start();
            runner = new TrialRunner(cluster, writer, o.holdMs(), o.takeoverTimeoutS());
            for (Kind kind : o.kinds()) {
                for (int i = 1; i <= o.trials(); i++) {
                    for (boolean loaded : conditions(load != null, i)) {
                        done.add(trial(runner, loaded ? load : null, new FailoverTrial(kind, i, loaded), o.loadWarmupMs()));
                    }
                }
            }
            writer.close();
            if (load != null) {
                load.close();
            }
            lost = FailoverReport.lostWrites(client, writer, runner.probeAcks());
            if (load != null) {
                loadLost = FailoverReport.lostLoadWrites(client, load);
            }
            endOfRun = System.nanoTime();
            client.close();
        } finally {
            if (writer != null) {
                writer.close();
            }
            if (load != null) {
                load.close();
            }
            if (tracker != null) {
                tracker.close();
            }
            cluster.close();
        }
        FailoverReport.LoadRun loadRun = load == null ? null : new FailoverReport.LoadRun(o.load(), rate, load, loadLost);
        FailoverReport.write(new FailoverReport.Run(o.nodeOptions(), o.trials(), o.holdMs(), o.kinds(), done, writer, runner,
                loadRun, o.out()), cluster, endOfRun, lost);
    }

    /** Idle only without a load; else both, idle first in odd trials and loaded first in even ones. */
    private static List<Boolean> conditions(boolean withLoad, int trial) {
        if (!withLoad) {
            return List.of(false);
        }
        return trial % 2 == 1 ? List.of(false, true) : List.of(true, false);
    }

    /** One trial; a loaded one runs with {@code load} resumed from before its settle wait to its end. */
    private static FailoverTrial trial(TrialRunner runner, BackgroundLoad load, FailoverTrial t, long loadWarmupMs)
            throws InterruptedException {
        long givenUpBefore = load == null ? 0 : load.abandoned();
        try {
            if (load != null) {
                load.resume();
                Thread.sleep(loadWarmupMs);
            }
            runner.run(t);
        } catch (Exception | AssertionError e) {
            if (e instanceof InterruptedException) {
                throw (InterruptedException) e;
            }
            t.error = e.toString();
            System.out.printf("[bench] %s %s #%d FAILED: %s%n", t.kind, t.condition(), t.index, e);
            runner.recover();
        }
        t.endNanos = System.nanoTime();
        if (load != null) {
            load.pause();
            t.loadGivenUp = load.abandoned() - givenUpBefore;
            if (t.faultNanos != 0) {
                t.load = LoadFigures.of(load.ackTimes(t.faultNanos - LoadFigures.BEFORE_MS * 1_000_000, t.endNanos),
                        t.faultNanos, t.endNanos);
                System.out.println(t.loadSummary());
            }
        }
        return t;
    }
}
