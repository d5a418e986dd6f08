package dev.baton.chaos;

import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.NodeStatus;
import dev.baton.it.Http;
import dev.baton.it.NodeProcess;
import dev.baton.it.TestCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The steps of a {@code CORRUPT_STOPPED} fault on a follower the nemesis has stopped: bytes
 * flipped in its log ({@link LogCorruption}), a start that must be refused (exit 3, the file
 * named), a start with {@code --repair-log}, and the catch-up, after which its stale reads must
 * give values clients wrote. Each expectation not met is a violation.
 *
 * <p>Why only a follower, one at a time, with a majority healthy: the repair discards entries the
 * node had acknowledged, so it is safe only while the other nodes hold everything committed. The
 * nemesis runs one fault at a time and this one ends only once the node has caught up, so no
 * later fault meets a node with entries missing. Driven by the nemesis thread.
 */
final class CorruptStopped {

    /** Exit code of a node that refuses to start on damaged storage. */
    static final int EXIT_DAMAGED = 3;
    static final Duration START_BOUND = Duration.ofSeconds(60);
    static final Duration CATCH_UP_BOUND = Duration.ofSeconds(30);
    static final Duration HEALTHY_BOUND = Duration.ofSeconds(10);

    /** What the fault did and found. {@code damaged}: bytes were flipped (else it was a plain restart). */
    record Outcome(boolean damaged, String what, List<Violation> violations, List<ValueOriginChecker.Served> served) {}

    private final TestCluster cluster;
    private final List<String> keys;
    private final Http http;

    CorruptStopped(TestCluster cluster, List<String> keys) {
        this.cluster = cluster;
        this.keys = keys;
        this.http = cluster.http();
    }

    /** The first node of {@code order} that is not ACTIVE right now. */
    NodeProcess pickFollower(List<NodeProcess> order) {
        Optional<TestCluster.Active> active = Optional.empty();
        try {
            active = cluster.activeNow(0);
        } catch (AssertionError e) { // two ACTIVE in a term over HTTP: the role-log checker reports it
            System.out.printf("[chaos] !!! %s%n", e.getMessage());
        }
        NodeProcess a = active.map(TestCluster.Active::node).orElse(null);
        return order.stream().filter(n -> n != a).findFirst().orElseThrow();
    }

    /**
     * Waits (at most {@link #HEALTHY_BOUND}) until the nodes other than {@code target} are a
     * majority of the cluster, running with healthy storage, one of them ACTIVE; null once they
     * are, else what is missing.
     */
    String awaitHealthyMajorityWithout(NodeProcess target) throws InterruptedException {
        int majority = cluster.nodes().size() / 2 + 1;
        long end = System.nanoTime() + HEALTHY_BOUND.toNanos();
        String missing;
        do {
            Map<NodeProcess, Optional<NodeStatus>> now = cluster.statusesNow();
            long healthy = now.entrySet().stream().filter(e -> e.getKey() != target)
                    .filter(e -> e.getValue().filter(s -> s.health() != null && s.health().ok()).isPresent()).count();
            boolean active = now.entrySet().stream().filter(e -> e.getKey() != target)
                    .anyMatch(e -> e.getValue().filter(s -> "ACTIVE".equals(s.role())).isPresent());
            missing = healthy >= majority && active ? null
                    : healthy + " healthy nodes besides " + target.id() + " (a majority is " + majority + ")"
                            + (active ? "" : ", none of them ACTIVE");
            if (missing == null) {
                return null;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < end);
        return missing;
    }

    /** The target is stopped but is not damaged (that could lose data now, or there is nothing to damage): only started again. */
    Outcome restartUndamaged(NodeProcess target, String why) {
        target.restart();
        System.out.printf("[chaos] !!! bit rot of %s NOT injected: %s; restarted it undamaged%n", target.id(), why);
        return new Outcome(false, "CORRUPT_STOPPED not injected (" + why + "): SIGTERM and restart", List.of(), List.of());
    }

    /**
     * Damages the stopped target's log, expects a refused start, repairs, waits for the catch-up;
     * each end of a process of the target is added to {@code processEnds}.
     */
    Outcome damageAndRepair(NodeProcess target, SplittableRandom random, int number, List<Long> processEnds)
            throws InterruptedException {
        Path file = DiskNemesis.entriesFile(target);
        LogCorruption.Damage damage;
        try {
            damage = LogCorruption.damage(file, random, 1 + random.nextInt(4));
        } catch (IOException e) {
            return restartUndamaged(target, "cannot damage " + file + ": " + e);
        }
        if (damage == null) {
            return restartUndamaged(target, file + " has fewer than two records");
        }
        List<Violation> violations = new ArrayList<>();
        String fault = "fault " + number + " CORRUPT_STOPPED";
        target.start();
        Integer exit = target.awaitExitCode(START_BOUND.toSeconds());
        String refused;
        if (exit == null) {
            violations.add(new Violation("corrupt-start", target.id() + " started on a damaged log (" + damage + ") in "
                    + fault, target.logTail(30)));
            target.terminate();
            refused = "NOT refused";
        } else {
            String tail = target.logTail(40);
            if (exit != EXIT_DAMAGED || !tail.contains(file.toString())) {
                violations.add(new Violation("corrupt-start", target.id() + " exited with " + exit + " on a damaged log ("
                        + damage + ") in " + fault + "; expected exit " + EXIT_DAMAGED + " naming " + file, tail));
            }
            refused = "start refused (exit " + exit + ")";
        }
        processEnds.add(System.nanoTime());
        target.start(List.of("--repair-log"));
        String caughtUp = awaitCaughtUp(target);
        if (caughtUp != null) {
            violations.add(new Violation("repair", target.id() + " did not catch up within " + CATCH_UP_BOUND.toSeconds()
                    + " s after --repair-log in " + fault + ": " + caughtUp, target.logTail(30)));
        }
        List<ValueOriginChecker.Served> served = new ArrayList<>();
        for (String key : keys) {
            try {
                Http.Response r = http.get(target.url() + Http.kvPath(key) + "?stale=true");
                if (r.status() == 200) {
                    served.add(new ValueOriginChecker.Served(key, r.json(KvEntry.class).value(),
                            target.id() + ", stale read after the repair of " + fault + ": " + r));
                }
            } catch (RuntimeException e) {
                // not answering: nothing served
            }
        }
        return new Outcome(true, damage + ", " + refused + ", --repair-log, " + (caughtUp == null ? "caught up"
                : "NOT caught up"), violations, served);
    }

    /**
     * Null once {@code node} is STANDBY with everything applied that the ACTIVE had committed when
     * the wait began (the repair discarded entries it had acknowledged: until then the others alone
     * hold them); else what was last seen.
     */
    private String awaitCaughtUp(NodeProcess node) throws InterruptedException {
        long end = System.nanoTime() + CATCH_UP_BOUND.toNanos();
        long target = -1;
        Optional<NodeStatus> last = Optional.empty();
        while (System.nanoTime() < end) {
            if (target < 0) {
                target = activeCommit();
            }
            last = cluster.tryStatus(node);
            if (target >= 0 && last.filter(s -> "STANDBY".equals(s.role()) && s.appliedIndex() >= 0).isPresent()
                    && last.get().appliedIndex() >= target) {
                return null;
            }
            if (!node.isAlive()) {
                return "it exited (code " + node.exitCode() + ")";
            }
            Thread.sleep(200);
        }
        return "last status " + last.map(s -> s.role() + ", applied " + s.appliedIndex()).orElse("none")
                + ", ACTIVE's commit index " + target;
    }

    private long activeCommit() {
        try {
            return cluster.activeNow(0).flatMap(a -> cluster.tryStatus(a.node())).map(NodeStatus::commitIndex).orElse(-1L);
        } catch (AssertionError e) {
            return -1;
        }
    }
}
