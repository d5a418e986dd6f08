package dev.baton.chaos;

import dev.baton.client.BatonClient;
import dev.baton.client.BatonException;
import dev.baton.client.wire.KvEntry;
import dev.baton.it.DiskFaults;
import dev.baton.it.NetworkPartition;
import dev.baton.it.NodeProcess;
import dev.baton.it.RoleLog;
import dev.baton.it.SecureMaterial;
import dev.baton.it.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One chaos run: a fresh cluster (tmpfs data dirs for the disk faults), concurrent clients, the
 * nemesis for a while, everything healed, a final read of every key, then the checkers:
 * linearizability, lost writes, single active, served values (no damaged value), sick nodes (never
 * reported healthy), liveness after each fault, node exits and what the faults themselves found. Writes the history, the faults, the role
 * transitions and the node logs to {@code <outDir>/<seed>/<name>/} when a checker fails (or always,
 * if asked).
 */
public final class ChaosRun {

    /**
     * @param livenessBound after each fault heals, some node must be ACTIVE within this
     */
    public record Config(String name, int nodes, Duration duration, long seed, int clients, int keys,
            Duration livenessBound, Path outDir, boolean keepFilesAlways, SecureMaterial secure) {

        /** A plain cluster (no TLS, no tokens). */
        public Config(String name, int nodes, Duration duration, long seed, int clients, int keys, Duration livenessBound,
                Path outDir, boolean keepFilesAlways) {
            this(name, nodes, duration, seed, clients, keys, livenessBound, outDir, keepFilesAlways, null);
        }
    }

    /**
     * How long after a node's "storage fault" line first appeared in its log file its answers are
     * judged: the role thread publishes UNHEALTHY just after the line is written (milliseconds;
     * a busy 2-core machine can stretch that), so a sample within this margin is not judged.
     */
    static final Duration SICK_GRACE = Duration.ofSeconds(1);

    /** How long a run may go on past its duration to draw the fault kinds it has not run yet. */
    static final Duration COVERAGE_OVERTIME = Duration.ofSeconds(60);

    private final Config config;

    public ChaosRun(Config config) {
        this.config = config;
    }

    /** The admin token in a file, for a member re-added with {@code --join} to read the member table. */
    private Path joinTokenFile(TestCluster cluster) {
        try {
            Files.createDirectories(cluster.dir());
            Path file = cluster.dir().resolve("join.token");
            Files.writeString(file, config.secure().token() + "\n", StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ChaosReport run() throws InterruptedException {
        System.out.printf("[chaos] %s: SEED %d, %d nodes, %d s, %d clients, %d keys (replay: ChaosIT -Dchaos.seed=%d, or"
                        + " scripts/chaos.sh soak --seed %d --nodes %d --minutes %d)%n", config.name(), config.seed(),
                config.nodes(), config.duration().toSeconds(), config.clients(), config.keys(), config.seed(), config.seed(),
                config.nodes(), (config.duration().toSeconds() + 20 + 59) / 60);
        String noPartitions = NetworkPartition.unavailableReason();
        String noDisks = DiskFaults.unavailableReason();
        FaultCoverage coverage = FaultCoverage.of(noPartitions, noDisks, FaultCoverage.requiredHere());
        if (coverage.refusal() != null) {
            throw new IllegalStateException(coverage.refusal());
        }
        if (noPartitions != null) {
            System.out.printf("[chaos] !!! NOT EXERCISED: partition faults %s: %s (reported as skipped; under CI=true"
                    + " this fails)%n", FaultCoverage.PARTITION_KINDS, noPartitions);
        }
        if (noDisks != null) {
            System.out.printf("[chaos] !!! NOT EXERCISED: disk faults %s: %s (reported as skipped; under CI=true"
                    + " this fails)%n", FaultCoverage.DISK_KINDS, noDisks);
        }
        List<String> keys = IntStream.range(0, config.keys()).mapToObj(i -> "chaos/k" + i).toList();
        TestCluster cluster = config.secure() == null ? TestCluster.create(config.name(), config.nodes())
                : config.secure().cluster(config.name(), config.nodes());
        DiskNemesis disks = noDisks == null ? new DiskNemesis(cluster, config.seed(), keys) : null;
        try {
            if (disks != null) {
                disks.mountDataDirs(); // before the start: a node's data dir is a tmpfs for its whole life
            }
            startSettled(cluster);
            return run(cluster, disks, coverage, keys, noPartitions);
        } finally {
            cluster.close(); // the processes first: a mount in use cannot be unmounted cleanly
            if (disks != null) {
                disks.close();
            }
        }
    }

    private ChaosReport run(TestCluster cluster, DiskNemesis disks, FaultCoverage coverage, List<String> keys,
            String noPartitions) throws InterruptedException {
        NetworkPartition partitions = noPartitions == null
                ? new NetworkPartition("chaos-" + config.name()) : null;
        Nemesis nemesis = new Nemesis(cluster, config.seed(), partitions, disks, keys, coverage.available());
        if (config.secure() != null) {
            nemesis.joinOptions(List.of("--join-token-file", joinTokenFile(cluster).toString()));
        }
        Workload workload = new Workload(cluster, config.clients(), keys, config.seed());
        List<LostWriteChecker.FinalRead> finals = new ArrayList<>();
        long runStart = System.nanoTime();
        long workloadEnd;
        long settledAfterHeal = -1;
        try {
            workload.start();
            long end = runStart + config.duration().toNanos();
            // a run whose faults happened to be long may end before every kind was drawn: it goes on
            // (bounded) until each available kind ran once, so coverage never depends on timing
            long overtime = end + COVERAGE_OVERTIME.toNanos();
            Thread.sleep(1000);
            while (System.nanoTime() < end
                    || (System.nanoTime() < overtime && !nemesis.countsByKind().keySet().containsAll(coverage.available()))) {
                nemesis.injectOne();
                long pause = nemesis.nextPauseMillis(); // drawn first: keeps the schedule independent of the wait
                nemesis.awaitActive(config.livenessBound().plusSeconds(2));
                Thread.sleep(pause);
            }
        } finally {
            nemesis.healEverything();
            if (partitions != null) {
                partitions.close();
            }
        }
        try {
            long healed = System.nanoTime();
            try {
                cluster.awaitActive();
                settledAfterHeal = System.nanoTime() - healed;
            } catch (RuntimeException | AssertionError e) {
                System.out.printf("[chaos] !!! no single ACTIVE within %s after healing everything: %s%n", TestCluster.WAIT,
                        e.getMessage());
            }
            Thread.sleep(2000); // some operations on the healed cluster
            workload.stop();
            workloadEnd = System.nanoTime();
            finals.addAll(finalReads(cluster, keys));
        } finally {
            workload.close();
            nemesis.stopAll();
            cluster.close();
        }
        long runEnd = System.nanoTime();

        List<Op> history = workload.history();
        Map<String, String> logs = new LinkedHashMap<>();
        for (NodeProcess n : cluster.nodes()) {
            logs.put(n.id(), n.log());
        }
        List<RoleLog.Interval> intervals = RoleLog.activeIntervals(logs, nemesis.processEnds(), runEnd);

        List<Violation> violations = new ArrayList<>();
        LinearizabilityChecker lin = new LinearizabilityChecker();
        long checkStart = System.nanoTime();
        violations.addAll(lin.check(history));
        long checkMillis = (System.nanoTime() - checkStart) / 1_000_000;
        violations.addAll(LostWriteChecker.check(history, finals));
        violations.addAll(SingleActiveChecker.check(intervals));
        List<ValueOriginChecker.Served> served = new ArrayList<>(nemesis.served());
        finals.forEach(f -> served.add(new ValueOriginChecker.Served(f.key(), f.value(), "final read " + f)));
        violations.addAll(ValueOriginChecker.check(history, served));
        int sickWindows = 0;
        int sickSamples = 0;
        for (SickNodeChecker.Watch w : nemesis.healthWatches()) {
            SickNodeChecker.Result r = SickNodeChecker.check(w, logBytes(cluster.node(w.node())), SICK_GRACE.toNanos());
            violations.addAll(r.violations());
            sickWindows += r.windows();
            sickSamples += r.sick();
        }
        violations.addAll(nemesis.faultViolations());
        nemesis.unexpectedExits().forEach(e -> violations.add(e.violation()));
        violations.addAll(coverage.violations(nemesis.countsByKind()));
        long worstDelay = 0;
        for (Fault f : nemesis.faults()) {
            long delay = f.activeDelay(intervals);
            if (delay < 0 || delay > config.livenessBound().toNanos()) {
                violations.add(new Violation("liveness", "no ACTIVE within " + config.livenessBound().toMillis()
                        + " ms after " + f + " healed" + (delay < 0 ? " (none by the end)" : String.format(" (%.0f ms)", delay / 1e6)),
                        "healed at " + f.healNanos()));
            }
            worstDelay = Math.max(worstDelay, delay < 0 ? Long.MAX_VALUE : delay);
        }
        if (settledAfterHeal < 0) {
            violations.add(new Violation("liveness", "no single ACTIVE within " + TestCluster.WAIT.toSeconds()
                    + " s after the final heal", ""));
        }
        long firstActive = intervals.isEmpty() ? runStart : intervals.get(0).start();
        long worstGap = RoleLog.longestGap(intervals, Math.max(firstActive, runStart), workloadEnd);

        ChaosReport report = new ChaosReport(config, nemesis.countsByKind(), history, violations, lin.inconclusiveKeys(),
                worstGap, worstDelay, ChaosReport.longestClientGap(history, runStart, workloadEnd), checkMillis,
                nemesis.unexpectedExits().stream().map(e -> e.node() + " exit " + e.exitCode() + " " + e.when()).toList(),
                nemesis.healActions(), coverage.missing(nemesis.countsByKind()), intervals.size(), sickWindows, sickSamples,
                served.size());
        if (!violations.isEmpty() || config.keepFilesAlways()) {
            Path dir = config.outDir().resolve(Long.toString(config.seed())).resolve(config.name());
            keepFiles(dir, cluster, history, nemesis.faults(), intervals, finals, report);
            System.out.printf("[chaos] files of this run kept in %s%n", dir);
        }
        return report;
    }

    private void startSettled(TestCluster cluster) {
        try {
            cluster.startAll();
            TestCluster.Active first = cluster.awaitSettled();
            System.out.printf("[chaos] cluster %s is up: %s ACTIVE at term %d%n", config.name(), first.id(), first.term());
        } catch (RuntimeException | Error e) {
            cluster.dumpLogs(System.out, 60);
            throw e;
        }
    }

    /** The whole log of a node, one char per byte, so that indexes are the file offsets {@link HealthSample} records. */
    private static String logBytes(NodeProcess node) {
        try {
            return new String(Files.readAllBytes(node.logFile()), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<LostWriteChecker.FinalRead> finalReads(TestCluster cluster, List<String> keys) {
        List<LostWriteChecker.FinalRead> finals = new ArrayList<>();
        try (BatonClient client = cluster.clientBuilder().deadline(Duration.ofSeconds(30)).build()) {
            for (String key : keys) {
                for (int attempt = 1; ; attempt++) {
                    try {
                        Optional<KvEntry> e = client.get(key);
                        finals.add(new LostWriteChecker.FinalRead(key, e.map(KvEntry::value).orElse(null),
                                e.map(KvEntry::revision).orElse(0L)));
                        break;
                    } catch (BatonException e) {
                        if (attempt == 3) {
                            System.out.printf("[chaos] !!! final read of %s failed: %s%n", key, e.getMessage());
                            break;
                        }
                    }
                }
            }
        }
        return finals;
    }

    private static void keepFiles(Path dir, TestCluster cluster, List<Op> history, List<Fault> faults,
            List<RoleLog.Interval> intervals, List<LostWriteChecker.FinalRead> finals, ChaosReport report) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("history.tsv"), history.stream().map(Op::toLine).toList());
            Files.write(dir.resolve("faults.txt"), faults.stream()
                    .map(f -> f + " start " + f.startNanos() + " heal " + f.healNanos()).toList());
            Files.write(dir.resolve("active-intervals.txt"), intervals.stream().map(Object::toString).toList());
            Files.write(dir.resolve("final-reads.txt"), finals.stream().map(Object::toString).toList());
            Files.writeString(dir.resolve("report.txt"), report.render());
            for (NodeProcess n : cluster.nodes()) {
                if (Files.exists(n.logFile())) {
                    Files.copy(n.logFile(), dir.resolve(n.id() + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
