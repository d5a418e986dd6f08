package dev.baton.bench;

import dev.baton.bench.FailoverTrial.Kind;
import dev.baton.client.BatonClient;
import dev.baton.client.wire.KvEntry;
import dev.baton.it.Http;
import dev.baton.it.RoleLog;
import dev.baton.it.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The end of a {@link FailoverBenchmark} run: reads every acknowledged write back (the writer's,
 * the probes', the background load's), counts overlapping ACTIVE intervals in the node logs over
 * the whole run, prints a table per fault kind (per condition, and idle beside loaded when there
 * was a background load) and writes everything as JSON. With a load, each kind's JSON holds
 * {@code idle}, {@code loaded} (each as a kind without load) and {@code loadedVsIdle}; the run's
 * {@code backgroundLoad} says what the load was and did.
 */
final class FailoverReport {

    /** What the report is about: the run's settings and its results; {@code load} null without {@code --load}. */
    record Run(List<String> nodeOptions, int trialsPerKind, long holdMs, List<Kind> kinds, List<FailoverTrial> trials,
            Writer writer, TrialRunner runner, LoadRun load, Path out) {}

    /** The background load of a run with {@code --load}: the rate asked for, how it was chosen, what it wrote. */
    record LoadRun(String option, LoadOption.Resolved rate, BackgroundLoad load, List<String> lost) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("option", option);
            m.put("targetWritesPerSec", Stats.round(rate.writesPerSecond()));
            m.put("measuredMaxWritesPerSec", Stats.round(rate.measuredMax()));
            m.put("maxMeasuredInflight", LoadOption.MEASURE_INFLIGHT);
            m.put("threads", load.threads());
            m.put("inflightPerNode", load.inflightPerNode());
            m.put("keys", load.threads() * BackgroundLoad.SLOTS);
            m.put("acknowledgedWrites", load.acknowledged());
            m.put("failedAttempts", load.failedAttempts());
            m.put("abandonedWrites", load.abandoned());
            m.put("lostWrites", lost.size());
            m.put("lostKeys", lost.stream().limit(100).toList());
            return m;
        }
    }

    private FailoverReport() {}

    /** Keys acknowledged to the writer (or to a probe) that are missing or have another value. */
    static List<String> lostWrites(BatonClient client, Writer writer, Map<String, String> probeAcks) {
        Map<String, String> expected = new LinkedHashMap<>();
        for (Writer.Ack a : writer.acks()) {
            expected.put(a.key(), Writer.value(a.seq()));
        }
        Map<String, String> actual = new HashMap<>();
        for (String block : expected.keySet().stream().map(k -> k.substring(0, k.length() - 3)).distinct().toList()) {
            for (KvEntry e : client.list(block)) {
                actual.put(e.key(), e.value());
            }
        }
        List<String> lost = new ArrayList<>();
        expected.forEach((k, v) -> {
            if (!v.equals(actual.get(k))) {
                lost.add(k);
            }
        });
        probeAcks.forEach((k, v) -> {
            if (client.get(k).map(KvEntry::value).filter(v::equals).isEmpty()) {
                lost.add(k);
            }
        });
        System.out.printf("[bench] read back %d acknowledged writes (+%d probe writes): %d lost; %d writes failed at the client%n",
                expected.size(), probeAcks.size(), lost.size(), writer.failures());
        return lost;
    }

    /** The background load's acknowledged writes that are not (or no longer superseded) in the store; see {@link VersionedSlots}. */
    static List<String> lostLoadWrites(BatonClient client, BackgroundLoad load) {
        List<String> lost = new ArrayList<>();
        for (VersionedSlots slots : load.slots()) {
            Map<String, String> actual = new HashMap<>();
            for (KvEntry e : client.list(slots.prefix())) {
                actual.put(e.key(), e.value());
            }
            lost.addAll(slots.missing(actual));
        }
        System.out.printf("[bench] background load: read back %d keys of %d acknowledged writes: %d lost; %d failed attempts"
                        + " (retried), %d writes given up%n",
                load.threads() * BackgroundLoad.SLOTS, load.acknowledged(), lost.size(), load.failedAttempts(), load.abandoned());
        return lost;
    }

    static void write(Run run, TestCluster cluster, long endOfRun, List<String> lost) throws IOException {
        Map<String, String> logs = new HashMap<>();
        cluster.nodes().forEach(n -> logs.put(n.id(), n.log()));
        Map<String, List<Long>> processEnds = run.runner().processEnds();
        List<FailoverTrial> done = run.trials();
        List<RoleLog.Interval> intervals = RoleLog.activeIntervals(logs, processEnds, endOfRun);
        List<RoleLog.Overlap> overlaps = RoleLog.overlaps(intervals);
        for (RoleLog.Overlap o : overlaps) {
            System.out.printf("[bench] OVERLAP %.1f ms: %s and %s%n", o.nanos() / 1e6, o.a(), o.b());
            long at = Math.max(o.a().start(), o.b().start());
            done.stream().filter(t -> t.faultNanos - 5_000_000_000L <= at && at <= t.endNanos).findFirst()
                    .ifPresent(t -> t.overlaps++);
        }

        Writer writer = run.writer();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "failover");
        json.put("nodeOptions", run.nodeOptions());
        json.put("trialsPerKind", run.trialsPerKind());
        json.put("holdMs", run.holdMs());
        json.put("cpus", Runtime.getRuntime().availableProcessors());
        json.put("overlappingActiveIntervals", overlaps.size());
        json.put("lostWrites", lost.size());
        json.put("lostKeys", lost.stream().limit(100).toList());
        json.put("acknowledgedWrites", writer.ackCount());
        json.put("failedWrites", writer.failures());
        if (run.load() != null) {
            json.put("backgroundLoad", run.load().json());
        }
        Map<String, Object> perKind = new LinkedHashMap<>();
        System.out.printf("%n=== failover benchmark: 3 nodes, %d CPUs, node options %s%s ===%n",
                Runtime.getRuntime().availableProcessors(), run.nodeOptions().isEmpty() ? "(defaults)" : run.nodeOptions(),
                run.load() == null ? "" : String.format(", idle and loaded trials interleaved, load %.0f writes/s (--load %s)",
                        run.load().rate().writesPerSecond(), run.load().option()));
        for (Kind kind : run.kinds()) {
            List<FailoverTrial> idle = done.stream().filter(t -> t.kind == kind && !t.loaded).toList();
            if (run.load() == null) {
                perKind.put(kind.label(), kind(kind.label(), kind, idle));
                continue;
            }
            List<FailoverTrial> loaded = done.stream().filter(t -> t.kind == kind && t.loaded).toList();
            Map<String, Object> both = new LinkedHashMap<>();
            both.put("idle", kind(kind.label() + ", idle", kind, idle));
            both.put("loaded", kind(kind.label() + ", loaded", kind, loaded));
            both.put("loadedVsIdle", FailoverComparison.print(kind, idle, loaded));
            perKind.put(kind.label(), both);
        }
        int loadLost = run.load() == null ? 0 : run.load().lost().size();
        System.out.printf("%nall kinds: overlapping ACTIVE intervals %d, acknowledged writes lost %d (of %d), client write failures %d%s%n",
                overlaps.size(), lost.size(), writer.ackCount(), writer.failures(), run.load() == null ? ""
                        : String.format("; background load: %d of %d acknowledged writes lost", loadLost, run.load().load().acknowledged()));
        json.put("kinds", perKind);
        Files.createDirectories(run.out().getParent());
        Http.JSON.writerWithDefaultPrettyPrinter().writeValue(run.out().toFile(), json);
        System.out.println("JSON: " + run.out());
    }

    /** Prints one kind's table (of one condition) and returns it as JSON. */
    private static Map<String, Object> kind(String title, Kind kind, List<FailoverTrial> ts) {
        Map<String, Stats> stats = new LinkedHashMap<>();
        stats.put("client unavailability", stat(ts, t -> t.unavailableMs));
        stats.put("fault -> new ACTIVE (watch)", stat(ts, t -> t.newActiveWatchMs));
        stats.put("fault -> new ACTIVE (node log)", stat(ts, t -> t.newActiveLogMs));
        stats.put("fault -> first CANDIDATE (node log)", stat(ts, t -> t.firstCandidateLogMs));
        if (kind == Kind.CRASH || kind == Kind.HANG) {
            stats.put(kind == Kind.CRASH ? "fault call (spawn kill -9, see exit)" : "fault call (spawn kill -STOP)",
                    stat(ts, t -> t.faultCallMs));
        }
        if (kind != Kind.CRASH) {
            stats.put("fault -> old leader not ACTIVE (log)", stat(ts, t -> t.oldFencedLogMs));
        }
        if (kind == Kind.SIGTERM || kind == Kind.TRANSFER) {
            stats.put("longest gap between acked writes", stat(ts, t -> t.maxAckGapMs));
        }
        if (ts.stream().anyMatch(t -> t.load != null)) {
            stats.put("background load: longest ack gap", stat(ts, t -> t.load == null ? Double.NaN : t.load.longestGapMs()));
        }
        long extra = ts.stream().filter(t -> t.activeTermsAfterFault.size() > 1).count();
        int stale = ts.stream().mapToInt(t -> t.staleAnswers).sum();
        int probes = ts.stream().mapToInt(t -> t.probeAnswers).sum();
        int ov = ts.stream().mapToInt(t -> t.overlaps).sum();
        long failed = ts.stream().filter(t -> t.error != null).count();
        System.out.printf("%n%s (%d trials, %d failed)%n%s%n", title, ts.size(), failed, Stats.header());
        stats.forEach((name, s) -> System.out.println(s.row(name)));
        System.out.printf("  overlapping ACTIVE intervals: %d   stale answers by the old leader: %d (of %d probe answers)%n"
                + "  trials with more than one new ACTIVE term (extra election): %d%n", ov, stale, probes, extra);
        Map<String, Object> k = new LinkedHashMap<>();
        stats.forEach((name, s) -> k.put(name, s.json()));
        k.put("overlappingActiveIntervals", ov);
        k.put("staleAnswers", stale);
        k.put("probeAnswers", probes);
        k.put("failedTrials", failed);
        k.put("trialsWithExtraElection", extra);
        k.put("trials", ts.stream().map(FailoverTrial::json).toList());
        return k;
    }

    private static Stats stat(List<FailoverTrial> ts, ToDoubleFunction<FailoverTrial> f) {
        return Stats.of(ts.stream().filter(t -> t.error == null).map(f::applyAsDouble).toList());
    }
}
