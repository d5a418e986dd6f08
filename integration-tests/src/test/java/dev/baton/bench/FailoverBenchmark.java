package dev.baton.bench;

import dev.baton.client.BatonClient;
import dev.baton.client.wire.KvEntry;
import dev.baton.it.Http;
import dev.baton.it.NetworkPartition;
import dev.baton.it.NodeProcess;
import dev.baton.it.RoleLog;
import dev.baton.it.TestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Failover benchmark (numbers, not a test): a real 3-node cluster, a writer sending writes one at a
 * time through {@link BatonClient}, and per trial one fault on the ACTIVE:
 *
 * <ul>
 *   <li>{@code crash}: kill -9, then restart it;
 *   <li>{@code hang}: SIGSTOP; SIGCONT once a new ACTIVE is up; the resumed node is probed at once;
 *   <li>{@code partition}: iptables DROP between it and the others (root); probed while cut off; heal;
 *   <li>{@code sigterm}: SIGTERM (graceful hand-over), then restart it.
 * </ul>
 *
 * Per trial: client-observed unavailability = last write acknowledged in the old term → first write
 * acknowledged in a newer term; fault → new ACTIVE (first answer of a {@code waitForTermAbove}
 * long-poll on the other nodes, and the new leader's own {@code became ACTIVE} mono time in its log);
 * for sigterm also the longest gap between acknowledged writes. Counted: overlapping ACTIVE
 * intervals (node logs, all nodes, whole run), answers served as ACTIVE by the resumed / isolated
 * old leader after the new ACTIVE was reported (200 on /health/active, or a PUT acknowledged in the
 * old term), acknowledged writes missing at the end. Usage: {@code scripts/bench.sh failover --help}.
 */
public final class FailoverBenchmark {

    enum Kind { CRASH, HANG, PARTITION, SIGTERM }

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final int trials;
    private final List<Kind> kinds;
    private final Path out;
    private final List<String> nodeOptions;
    private final long holdMs;
    private final long writePauseMs;
    private final long takeoverTimeoutS;

    private TestCluster cluster;
    private Writer writer;
    private final Map<String, List<Long>> processEnds = new HashMap<>();
    private final List<Trial> done = new ArrayList<>();
    private final Map<String, String> probeAcks = new LinkedHashMap<>();

    /** One trial's measurements; times in ms, NaN when not measured. */
    static final class Trial {
        Kind kind;
        int index;
        String oldLeader;
        long oldTerm;
        String newLeader;
        long newTerm;
        long faultNanos;
        long endNanos;
        double unavailableMs = Double.NaN;
        double newActiveWatchMs = Double.NaN;
        double newActiveLogMs = Double.NaN;
        double oldFencedLogMs = Double.NaN;
        double maxAckGapMs = Double.NaN;
        String loadAverage;
        int staleAnswers;
        int probeAnswers;
        int overlaps;
        String error;
        String settledLeader;
        long settledTerm;
        final java.util.SortedSet<Long> activeTermsAfterFault = new java.util.TreeSet<>();

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", kind.name().toLowerCase(Locale.ROOT));
            m.put("trial", index);
            m.put("oldLeader", oldLeader);
            m.put("oldTerm", oldTerm);
            m.put("newLeader", newLeader);
            m.put("newTerm", newTerm);
            m.put("settledLeader", settledLeader);
            m.put("settledTerm", settledTerm);
            m.put("activeTermsAfterFault", List.copyOf(activeTermsAfterFault));
            m.put("unavailableMs", Stats.round(unavailableMs));
            m.put("faultToNewActiveWatchMs", Stats.round(newActiveWatchMs));
            m.put("faultToNewActiveLogMs", Stats.round(newActiveLogMs));
            m.put("faultToOldFencedLogMs", Stats.round(oldFencedLogMs));
            m.put("maxAckGapMs", Stats.round(maxAckGapMs));
            m.put("staleAnswers", staleAnswers);
            m.put("probeAnswers", probeAnswers);
            m.put("overlappingActiveIntervals", overlaps);
            m.put("loadAverage", loadAverage);
            m.put("error", error);
            return m;
        }
    }

    private FailoverBenchmark(int trials, List<Kind> kinds, Path out, List<String> nodeOptions, long holdMs,
            long writePauseMs, long takeoverTimeoutS) {
        this.takeoverTimeoutS = takeoverTimeoutS;
        this.trials = trials;
        this.kinds = kinds;
        this.out = out;
        this.nodeOptions = nodeOptions;
        this.holdMs = holdMs;
        this.writePauseMs = writePauseMs;
    }

    public static void main(String[] args) throws Exception {
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
                            Usage: scripts/bench.sh failover [--trials N (20)] [--kinds crash,hang,partition,sigterm]
                                   [--out FILE.json (integration-tests/target/bench/failover.json)]
                                   [--node-opts "--fd-timeout-ms 500 ..."] [--hold-ms MS (1000: how long a hang
                                   or partition lasts after the new ACTIVE is reported)] [--write-pause-ms MS (0)]
                                   [--takeover-timeout-s S (20: a trial without a new ACTIVE by then fails)]""");
                    return;
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
        new FailoverBenchmark(trials, kinds, out.toAbsolutePath(), nodeOptions, holdMs, writePauseMs, takeoverTimeoutS)
                .run();
        System.exit(0);
    }

    private void run() throws Exception {
        cluster = BenchCluster.start("bench-failover", 3, nodeOptions);
        long endOfRun;
        List<String> lost;
        try {
            TestCluster.Active first = cluster.awaitSettled();
            System.out.printf("[bench] cluster up: %s ACTIVE at term %d; node options %s; %d trial(s) of %s%n",
                    first.id(), first.term(), nodeOptions, trials, kinds);
            BatonClient client = BatonClient.builder()
                    .seeds(cluster.nodes().stream().map(NodeProcess::url).collect(Collectors.joining(",")))
                    .deadline(Duration.ofSeconds(60)) // the default attempt timeout (2 s): what users get
                    .build();
            writer = new Writer(client, writePauseMs);
            writer.start();
            for (Kind kind : kinds) {
                for (int i = 1; i <= trials; i++) {
                    Trial t = new Trial();
                    t.kind = kind;
                    t.index = i;
                    try {
                        runTrial(t);
                    } catch (Exception | AssertionError e) {
                        t.error = e.toString();
                        System.out.printf("[bench] %s #%d FAILED: %s%n", kind, i, e);
                        recover();
                    }
                    t.endNanos = System.nanoTime();
                    done.add(t);
                }
            }
            writer.close();
            lost = lostWrites(client);
            endOfRun = System.nanoTime();
            client.close();
        } finally {
            if (writer != null) {
                writer.close();
            }
            cluster.close();
        }
        report(endOfRun, lost);
    }

    /**
     * Waits until every node runs and reports ACTIVE or STANDBY, exactly one is ACTIVE, every STANDBY
     * follows it and has applied what it had committed, and this has held (same ACTIVE, same term)
     * for {@code stableMs}; a leader change while waiting restarts the wait.
     */
    private TestCluster.Active settle(long stableMs, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        TestCluster.Active candidate = null;
        long since = 0;
        long target = Long.MAX_VALUE;
        String last = "";
        while (System.nanoTime() < deadline) {
            Map<NodeProcess, java.util.Optional<dev.baton.client.wire.NodeStatus>> st = cluster.statusesNow();
            List<TestCluster.Active> actives = new ArrayList<>();
            st.forEach((n, s) -> s.filter(x -> "ACTIVE".equals(x.role()))
                    .ifPresent(x -> actives.add(new TestCluster.Active(n, x.term()))));
            last = st.entrySet().stream()
                    .map(e -> e.getKey().id() + "=" + e.getValue().map(x -> x.role() + "/t" + x.term()
                            + "/leader " + (x.leader() == null ? "-" : x.leader().id()) + "/applied " + x.appliedIndex())
                            .orElse("no answer"))
                    .collect(Collectors.joining(", "));
            if (actives.size() == 1) {
                TestCluster.Active a = actives.get(0);
                if (candidate == null || !candidate.id().equals(a.id()) || candidate.term() != a.term()) {
                    candidate = a;
                    since = 0;
                    target = st.get(a.node()).map(x -> x.commitIndex()).orElse(Long.MAX_VALUE);
                }
                TestCluster.Active c = candidate;
                long tgt = target;
                boolean followersOk = st.entrySet().stream()
                        .filter(e -> e.getKey() != c.node())
                        .allMatch(e -> e.getValue().filter(x -> "STANDBY".equals(x.role()) && x.term() == c.term()
                                        && x.leader() != null && c.id().equals(x.leader().id())
                                        && x.appliedIndex() >= tgt)
                                .isPresent());
                if (!followersOk) {
                    since = 0;
                } else if (since == 0) {
                    since = System.nanoTime();
                } else if (System.nanoTime() - since >= stableMs * 1_000_000) {
                    return c;
                }
            } else {
                candidate = null;
                since = 0;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("cluster not settled within " + timeoutMs + " ms; last seen: " + last);
    }

    private void runTrial(Trial t) throws Exception {
        TestCluster.Active a = settle(1000, 60_000);
        long settledAt = System.nanoTime();
        if (writer.awaitAck(settledAt, 0, 30_000).isEmpty()) {
            throw new IllegalStateException("writer made no progress for 30 s after settling");
        }
        Thread.sleep(300);
        NodeProcess old = a.node();
        t.oldLeader = old.id();
        t.loadAverage = loadavg();
        t.oldTerm = a.term();
        CompletableFuture<long[]> newActive = awaitNewActive(cluster.others(old), a.term());
        Thread.sleep(50); // let the long-polls arrive

        Probe probe = null;
        NetworkPartition partition = null;
        t.faultNanos = System.nanoTime();
        switch (t.kind) {
            case CRASH -> {
                old.kill9();
                processEnds.computeIfAbsent(old.id(), k -> new ArrayList<>()).add(System.nanoTime());
            }
            case HANG -> old.sigstop();
            case PARTITION -> {
                partition = NetworkPartition.isolate(cluster, old);
                probe = new Probe(old.url(), "probe/partition/" + t.index + "/", 5, 25);
            }
            case SIGTERM -> {
                old.terminate();
                processEnds.computeIfAbsent(old.id(), k -> new ArrayList<>()).add(System.nanoTime());
            }
        }
        long newActiveSeen;
        try {
            long[] na = newActive.get(takeoverTimeoutS, TimeUnit.SECONDS);
            newActiveSeen = na[0];
            t.newTerm = na[1];
            t.newActiveWatchMs = (newActiveSeen - t.faultNanos) / 1e6;
            if (t.kind == Kind.HANG || t.kind == Kind.PARTITION) {
                Thread.sleep(holdMs);
            }
        } finally {
            if (t.kind == Kind.HANG) {
                long contAt = System.nanoTime();
                old.sigcont();
                probe = new Probe(old.url(), "probe/hang/" + t.index + "/", 5, 25);
                newActiveSeen = Math.min(newActiveSeenOr(newActive), contAt);
            }
            if (partition != null) {
                partition.heal();
            }
        }
        if (t.kind == Kind.HANG) {
            Thread.sleep(1500); // the resumed node's first answers
        }
        if (probe != null) {
            probe.close();
            for (Probe.Answer ans : probe.answers()) {
                if (ans.sentNanos() < newActiveSeen) {
                    continue;
                }
                t.probeAnswers++;
                boolean servedAsActive = "health".equals(ans.kind())
                        ? ans.status() == 200
                        : ans.status() == 200 && ans.term() <= t.oldTerm;
                if (servedAsActive) {
                    t.staleAnswers++;
                    System.out.printf("[bench]   STALE answer from %s: %s%n", old.id(), ans);
                }
                if ("put".equals(ans.kind()) && ans.status() == 200) {
                    probeAcks.put(ans.key(), "probe");
                }
            }
        }

        OptionalLong firstNew = writer.awaitAck(t.faultNanos, t.oldTerm, takeoverTimeoutS * 1000);
        if (firstNew.isEmpty()) {
            throw new IllegalStateException(
                    "no write acknowledged in a term above " + t.oldTerm + " within " + takeoverTimeoutS + " s");
        }
        if (t.kind == Kind.CRASH || t.kind == Kind.SIGTERM) {
            old.restart();
        }
        TestCluster.Active b = settle(500, 60_000);
        t.settledLeader = b.id();
        t.settledTerm = b.term();
        measureFromAcks(t, firstNew.getAsLong());
        measureFromLogs(t, old);
        System.out.printf("[bench] %-9s #%-3d %s(t%d) -> %s(t%d): unavailable %6.0f ms, new ACTIVE watch %6.0f / log %6.0f ms, old fenced (log) %6.0f ms%s, stale %d/%d%s [load %s]%n",
                t.kind.name().toLowerCase(Locale.ROOT), t.index, t.oldLeader, t.oldTerm, t.newLeader, t.newTerm,
                t.unavailableMs, t.newActiveWatchMs, t.newActiveLogMs, t.oldFencedLogMs,
                Double.isNaN(t.maxAckGapMs) ? "" : String.format(", max ack gap %.0f ms", t.maxAckGapMs),
                t.staleAnswers, t.probeAnswers,
                t.activeTermsAfterFault.size() > 1 ? ", EXTRA ELECTION: ACTIVE terms " + t.activeTermsAfterFault : "",
                t.loadAverage.split(" ")[0]);
    }

    private static long newActiveSeenOr(CompletableFuture<long[]> f) {
        return f.isDone() && !f.isCompletedExceptionally() ? f.join()[0] : Long.MAX_VALUE;
    }

    /** Completes with {nanoTime, term} when any of {@code nodes} reports an ACTIVE leader with a term above. */
    private static CompletableFuture<long[]> awaitNewActive(List<NodeProcess> nodes, long termAbove) {
        CompletableFuture<long[]> result = new CompletableFuture<>();
        for (NodeProcess n : nodes) {
            Thread th = new Thread(() -> {
                while (!result.isDone()) {
                    try {
                        HttpRequest req = HttpRequest.newBuilder(
                                        URI.create(n.url() + "/v1/leader?waitForTermAbove=" + termAbove + "&timeoutMs=20000"))
                                .timeout(Duration.ofSeconds(25))
                                .GET()
                                .build();
                        HttpResponse<byte[]> r = HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        long now = System.nanoTime();
                        if (r.statusCode() == 200) {
                            long term = Http.JSON.readTree(r.body()).path("term").asLong();
                            if (term > termAbove) {
                                result.complete(new long[] {now, term});
                                return;
                            }
                        }
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException ie) {
                            return;
                        }
                    }
                }
            }, "bench-leader-wait-" + n.id());
            th.setDaemon(true);
            th.start();
        }
        return result;
    }

    private void measureFromAcks(Trial t, long firstNewAck) {
        long lastOld = Long.MIN_VALUE;
        long prev = Long.MIN_VALUE;
        double maxGap = 0;
        for (Writer.Ack a : writer.acks()) {
            if (a.term() <= t.oldTerm && a.ackedNanos() <= firstNewAck) {
                lastOld = Math.max(lastOld, a.ackedNanos());
            }
            if (a.ackedNanos() >= t.faultNanos - 1_000_000_000L && a.ackedNanos() <= firstNewAck + 1_000_000_000L) {
                if (prev != Long.MIN_VALUE) {
                    maxGap = Math.max(maxGap, (a.ackedNanos() - prev) / 1e6);
                }
                prev = a.ackedNanos();
            }
        }
        if (lastOld != Long.MIN_VALUE) {
            t.unavailableMs = (firstNewAck - lastOld) / 1e6;
        }
        if (System.getenv("BATON_BENCH_DEBUG") != null) {
            for (Writer.Ack a : writer.acks()) {
                if (a.ackedNanos() >= t.faultNanos - 300_000_000L && a.ackedNanos() <= firstNewAck + 300_000_000L) {
                    System.out.printf("[bench]   ack %s term %d invoked %+.0f ms acked %+.0f ms (after the fault)%n",
                            a.key(), a.term(), (a.invokedNanos() - t.faultNanos) / 1e6, (a.ackedNanos() - t.faultNanos) / 1e6);
                }
            }
        }
        if (t.kind == Kind.SIGTERM) {
            t.maxAckGapMs = maxGap;
        }
    }

    private void measureFromLogs(Trial t, NodeProcess old) {
        for (NodeProcess n : cluster.nodes()) {
            for (RoleLog.Transition tr : RoleLog.parse(n.id(), n.log())) {
                if (tr.mono() < t.faultNanos - 2_000_000_000L) {
                    continue;
                }
                if ("ACTIVE".equals(tr.role()) && tr.term() > t.oldTerm && tr.mono() >= t.faultNanos
                        && (Double.isNaN(t.newActiveLogMs) || (tr.mono() - t.faultNanos) / 1e6 < t.newActiveLogMs)) {
                    t.newActiveLogMs = (tr.mono() - t.faultNanos) / 1e6;
                    t.newLeader = tr.node();
                    t.newTerm = tr.term();
                }
                if ("ACTIVE".equals(tr.role()) && tr.term() > t.oldTerm && tr.mono() >= t.faultNanos) {
                    t.activeTermsAfterFault.add(tr.term());
                }
                if (n == old && t.kind != Kind.CRASH && tr.term() == t.oldTerm && !"ACTIVE".equals(tr.role())
                        && Double.isNaN(t.oldFencedLogMs) && tr.mono() >= t.faultNanos - 500_000_000L) {
                    t.oldFencedLogMs = (tr.mono() - t.faultNanos) / 1e6;
                }
            }
        }
    }

    /** After a failed trial: resume and restart what is stopped, heal, wait for a settled cluster. */
    private void recover() {
        for (NodeProcess n : cluster.nodes()) {
            try {
                if (n.isAlive()) {
                    n.sigcont();
                } else {
                    n.restart();
                }
            } catch (RuntimeException e) {
                System.out.printf("[bench] recover %s: %s%n", n.id(), e);
            }
        }
        try {
            settle(1000, 60_000);
        } catch (RuntimeException | InterruptedException e) {
            System.out.printf("[bench] cluster did not settle after a failed trial: %s%n", e);
        }
    }

    /** Keys acknowledged to the writer (or to a probe) that are missing or have another value. */
    private List<String> lostWrites(BatonClient client) {
        List<Writer.Ack> acks = writer.acks();
        Map<String, String> expected = new LinkedHashMap<>();
        for (Writer.Ack a : acks) {
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

    private void report(long endOfRun, List<String> lost) throws Exception {
        Map<String, String> logs = new HashMap<>();
        cluster.nodes().forEach(n -> logs.put(n.id(), n.log()));
        List<RoleLog.Interval> intervals = RoleLog.activeIntervals(logs, processEnds, endOfRun);
        List<RoleLog.Overlap> overlaps = RoleLog.overlaps(intervals);
        for (RoleLog.Overlap o : overlaps) {
            System.out.printf("[bench] OVERLAP %.1f ms: %s and %s%n", o.nanos() / 1e6, o.a(), o.b());
            long at = Math.max(o.a().start(), o.b().start());
            done.stream().filter(t -> t.faultNanos - 5_000_000_000L <= at && at <= t.endNanos).findFirst()
                    .ifPresent(t -> t.overlaps++);
        }

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "failover");
        json.put("nodeOptions", nodeOptions);
        json.put("trialsPerKind", trials);
        json.put("holdMs", holdMs);
        json.put("cpus", Runtime.getRuntime().availableProcessors());
        json.put("overlappingActiveIntervals", overlaps.size());
        json.put("lostWrites", lost.size());
        json.put("lostKeys", lost.stream().limit(100).toList());
        json.put("acknowledgedWrites", writer.ackCount());
        json.put("failedWrites", writer.failures());
        Map<String, Object> perKind = new LinkedHashMap<>();
        System.out.printf("%n=== failover benchmark: 3 nodes, %d CPUs, node options %s ===%n",
                Runtime.getRuntime().availableProcessors(), nodeOptions.isEmpty() ? "(defaults)" : nodeOptions);
        for (Kind kind : kinds) {
            List<Trial> ts = done.stream().filter(t -> t.kind == kind).toList();
            Map<String, Stats> stats = new LinkedHashMap<>();
            stats.put("client unavailability", stat(ts, t -> t.unavailableMs));
            stats.put("fault -> new ACTIVE (watch)", stat(ts, t -> t.newActiveWatchMs));
            stats.put("fault -> new ACTIVE (node log)", stat(ts, t -> t.newActiveLogMs));
            if (kind == Kind.HANG || kind == Kind.PARTITION || kind == Kind.SIGTERM) {
                stats.put("fault -> old leader not ACTIVE (log)", stat(ts, t -> t.oldFencedLogMs));
            }
            if (kind == Kind.SIGTERM) {
                stats.put("longest gap between acked writes", stat(ts, t -> t.maxAckGapMs));
            }
            long extra = ts.stream().filter(t -> t.activeTermsAfterFault.size() > 1).count();
            int stale = ts.stream().mapToInt(t -> t.staleAnswers).sum();
            int probes = ts.stream().mapToInt(t -> t.probeAnswers).sum();
            int ov = ts.stream().mapToInt(t -> t.overlaps).sum();
            long failed = ts.stream().filter(t -> t.error != null).count();
            System.out.printf("%n%s (%d trials, %d failed)%n%s%n", kind.name().toLowerCase(Locale.ROOT), ts.size(), failed, Stats.header());
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
            k.put("trials", ts.stream().map(Trial::json).toList());
            perKind.put(kind.name().toLowerCase(Locale.ROOT), k);
        }
        System.out.printf("%nall kinds: overlapping ACTIVE intervals %d, acknowledged writes lost %d (of %d), client write failures %d%n",
                overlaps.size(), lost.size(), writer.ackCount(), writer.failures());
        json.put("kinds", perKind);
        Files.createDirectories(out.getParent());
        Http.JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), json);
        System.out.println("JSON: " + out);
    }

    static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static Stats stat(List<Trial> ts, java.util.function.ToDoubleFunction<Trial> f) {
        return Stats.of(ts.stream().filter(t -> t.error == null).map(t -> f.applyAsDouble(t)).toList());
    }
}
