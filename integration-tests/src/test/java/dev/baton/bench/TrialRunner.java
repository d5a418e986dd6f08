package dev.baton.bench;

import dev.baton.bench.FailoverTrial.Kind;
import dev.baton.it.Http;
import dev.baton.it.NetworkPartition;
import dev.baton.it.NodeProcess;
import dev.baton.it.RoleLog;
import dev.baton.it.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@link FailoverBenchmark}'s trials one after the other on one cluster with one running
 * {@link Writer}: settle, inject the fault on the ACTIVE, time the takeover, probe the old leader,
 * undo the fault, settle again, measure. Also keeps, for the report, when processes ended (crash,
 * SIGTERM) and which probe writes were acknowledged. Used by the benchmark's thread only.
 */
final class TrialRunner {

    private final TestCluster cluster;
    private final Writer writer;
    private final long holdMs;
    private final long takeoverTimeoutS;
    private final Map<String, List<Long>> processEnds = new HashMap<>();
    private final Map<String, String> probeAcks = new LinkedHashMap<>();

    TrialRunner(TestCluster cluster, Writer writer, long holdMs, long takeoverTimeoutS) {
        this.cluster = cluster;
        this.writer = writer;
        this.holdMs = holdMs;
        this.takeoverTimeoutS = takeoverTimeoutS;
    }

    /** Per node, the {@code System.nanoTime()} of each time its process was ended by a trial. */
    Map<String, List<Long>> processEnds() {
        return processEnds;
    }

    /** Probe keys acknowledged by the old leader (they must survive like any acknowledged write). */
    Map<String, String> probeAcks() {
        return probeAcks;
    }

    /**
     * Waits until every node runs, one is ACTIVE, every other one its caught-up STANDBY, and this has
     * held (same ACTIVE, same term) for {@code stableMs}.
     */
    TestCluster.Active settle(long stableMs) {
        TestCluster.Active a = cluster.awaitSettled(Duration.ofMillis(stableMs), Duration.ofSeconds(60));
        List<String> down = cluster.nodes().stream().filter(n -> !n.isAlive()).map(NodeProcess::id).toList();
        if (!down.isEmpty()) {
            throw new IllegalStateException("settled without " + down + ": their processes are not running");
        }
        return a;
    }

    void run(FailoverTrial t) throws Exception {
        TestCluster.Active a = settle(1000);
        long settledAt = System.nanoTime();
        if (writer.awaitAck(settledAt, 0, 30_000).isEmpty()) {
            throw new IllegalStateException("writer made no progress for 30 s after settling");
        }
        Thread.sleep(300);
        NodeProcess old = a.node();
        t.oldLeader = old.id();
        t.loadAverage = BenchCluster.loadavg();
        t.oldTerm = a.term();
        CompletableFuture<NewActiveWatch.Seen> newActive = NewActiveWatch.start(cluster.others(old), a.term());
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
            case TRANSFER -> {
                // an operator's switchover to the most caught-up standby; answers once it leads
                Http.Response moved = cluster.http().method("POST", old.url() + "/v1/admin/transfer", new byte[0]);
                if (moved.status() != 200) {
                    throw new IllegalStateException("transfer refused: " + moved);
                }
            }
        }
        t.faultCallMs = (System.nanoTime() - t.faultNanos) / 1e6;
        long newActiveSeen;
        try {
            NewActiveWatch.Seen seen = newActive.get(takeoverTimeoutS, TimeUnit.SECONDS);
            newActiveSeen = seen.atNanos();
            t.newTerm = seen.term();
            t.newActiveWatchMs = (newActiveSeen - t.faultNanos) / 1e6;
            if (t.kind == Kind.HANG || t.kind == Kind.PARTITION) {
                Thread.sleep(holdMs);
            }
        } finally {
            if (t.kind == Kind.HANG) {
                long contAt = System.nanoTime();
                old.sigcont();
                probe = new Probe(old.url(), "probe/hang/" + t.index + "/", 5, 25);
                newActiveSeen = Math.min(NewActiveWatch.seenOr(newActive), contAt);
            }
            if (partition != null) {
                partition.heal();
            }
        }
        if (t.kind == Kind.HANG) {
            Thread.sleep(1500); // the resumed node's first answers
        }
        if (probe != null) {
            countStaleAnswers(t, probe, old, newActiveSeen);
        }

        OptionalLong firstNew = writer.awaitAck(t.faultNanos, t.oldTerm, takeoverTimeoutS * 1000);
        if (firstNew.isEmpty()) {
            throw new IllegalStateException(
                    "no write acknowledged in a term above " + t.oldTerm + " within " + takeoverTimeoutS + " s");
        }
        if (t.kind == Kind.CRASH || t.kind == Kind.SIGTERM) {
            old.restart();
        }
        TestCluster.Active b = settle(500);
        t.settledLeader = b.id();
        t.settledTerm = b.term();
        measureFromAcks(t, firstNew.getAsLong());
        measureFromLogs(t, old);
        System.out.println(t.summary());
    }

    /** Answers the old leader gave as ACTIVE after the new ACTIVE was reported: 200 on health, or a PUT in its old term. */
    private void countStaleAnswers(FailoverTrial t, Probe probe, NodeProcess old, long newActiveSeen) {
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

    private void measureFromAcks(FailoverTrial t, long firstNewAck) {
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
        if (t.kind == Kind.SIGTERM || t.kind == Kind.TRANSFER) {
            t.maxAckGapMs = maxGap;
        }
    }

    private void measureFromLogs(FailoverTrial t, NodeProcess old) {
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
                if ("CANDIDATE".equals(tr.role()) && tr.term() > t.oldTerm && tr.mono() >= t.faultNanos
                        && (Double.isNaN(t.firstCandidateLogMs) || (tr.mono() - t.faultNanos) / 1e6 < t.firstCandidateLogMs)) {
                    t.firstCandidateLogMs = (tr.mono() - t.faultNanos) / 1e6;
                }
                if (n == old && t.kind != Kind.CRASH && tr.term() == t.oldTerm && !"ACTIVE".equals(tr.role())
                        && Double.isNaN(t.oldFencedLogMs) && tr.mono() >= t.faultNanos - 500_000_000L) {
                    t.oldFencedLogMs = (tr.mono() - t.faultNanos) / 1e6;
                }
            }
        }
    }

    /** After a failed trial: resume and restart what is stopped, heal, wait for a settled cluster. */
    void recover() {
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
            settle(1000);
        } catch (RuntimeException | AssertionError e) {
            System.out.printf("[bench] cluster did not settle after a failed trial: %s%n", e);
        }
    }
}
