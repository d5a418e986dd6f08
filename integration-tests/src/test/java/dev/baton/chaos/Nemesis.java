package dev.baton.chaos;

import dev.baton.it.NetworkPartition;
import dev.baton.it.NodeProcess;
import dev.baton.it.TestCluster;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Injects one fault at a time into a real cluster, every one bounded in time and healed before
 * the next: kill -9 + restart, SIGSTOP/SIGCONT, SIGTERM (graceful hand-over) + restart, and with
 * iptables: isolate the active, a majority/minority split, a bridge (one node sees both sides).
 * Kinds, targets (by role: "the active" or a node by index), durations and pauses all come from
 * the seeded random, so a seed replays the same schedule (the cluster's reactions, e.g. which node
 * wins an election, may still differ between runs). Faults hit at most a minority of the nodes.
 * With a {@link DiskNemesis}: a full tmpfs data dir, an immutable log file, and bit rot in a
 * stopped follower's log (one node at a time, only while a majority is healthy, and the fault ends
 * only once the repaired node has caught up, so no later fault meets a node missing entries).
 * Kinds are drawn from a shuffled bag of the available ones, so every kind runs once in every
 * {@code kinds.size()} faults.
 *
 * <p>Records when each node's process was seen to have ended ({@link #processEnds()}), for the
 * role log's ACTIVE intervals. A node that exits without being told to is recorded as an {@link
 * UnexpectedExit} (a violation) and restarted; so is what the final heal had to undo ({@link
 * #healActions()}). Driven by one thread.
 */
final class Nemesis {

    private final TestCluster cluster;
    private final SplittableRandom random;
    private final NetworkPartition partitions; // null: no partitions
    private final DiskNemesis disks; // null: no disk faults
    private final List<Violation> faultViolations = new ArrayList<>();
    private final List<ValueOriginChecker.Served> served = new ArrayList<>();
    private final List<String> keys;
    private final List<Fault.Kind> kinds;
    private final Map<String, List<Long>> processEnds = new ConcurrentHashMap<>();
    private final List<Fault> faults = new ArrayList<>();
    private final List<Fault.Kind> bag = new ArrayList<>();
    private final List<UnexpectedExit> unexpectedExits = new ArrayList<>();
    private final List<String> healActions = new ArrayList<>();
    /** Nodes a fault in progress has killed, terminated or stopped: the final heal must undo them. */
    private final Map<String, Down> downByFault = new java.util.LinkedHashMap<>();
    private String cutInForce; // the partition a fault in progress has made, or null
    private List<String> joinOptions = List.of(); // options of a member re-added by REPLACE_MEMBER
    private boolean activeFound;

    /** Why a fault in progress took a node down; {@code dead}: its process was made to exit. */
    private record Down(String cause, boolean dead) {}

    /** A node process that exited without being told to; {@code logTail} is the end of its log. */
    record UnexpectedExit(String node, Integer exitCode, String when, String logTail) {
        Violation violation() {
            return new Violation("node-exit", node + " exited on its own (exit code " + exitCode + ") " + when
                    + "; restarted", "last lines of its log:\n" + logTail);
        }
    }

    /**
     * @param kinds the fault kinds to draw from (partition kinds only with {@code partitions})
     */
    Nemesis(TestCluster cluster, long seed, NetworkPartition partitions, List<Fault.Kind> kinds) {
        this(cluster, seed, partitions, null, List.of(), kinds);
    }

    /**
     * @param disks the disk faults (disk kinds only with it)
     * @param keys the workload's keys: read from a repaired node, whose values must be ones a client wrote
     */
    Nemesis(TestCluster cluster, long seed, NetworkPartition partitions, DiskNemesis disks, List<String> keys,
            List<Fault.Kind> kinds) {
        if (partitions == null && kinds.stream().anyMatch(FaultCoverage.PARTITION_KINDS::contains)) {
            throw new IllegalArgumentException("partition faults " + kinds + " need a NetworkPartition");
        }
        if (disks == null && kinds.stream().anyMatch(FaultCoverage.DISK_KINDS::contains)) {
            throw new IllegalArgumentException("disk faults " + kinds + " need a DiskNemesis");
        }
        this.cluster = cluster;
        this.random = new SplittableRandom(seed);
        this.partitions = partitions;
        this.disks = disks;
        this.keys = List.copyOf(keys);
        this.kinds = List.copyOf(kinds);
        cluster.nodes().forEach(n -> processEnds.put(n.id(), new CopyOnWriteArrayList<>()));
    }

    /** Extra options of a node re-added by a membership fault (a secure cluster's {@code --join-token-file}). */
    void joinOptions(List<String> options) {
        this.joinOptions = List.copyOf(options);
    }

    Map<String, List<Long>> processEnds() {
        return processEnds;
    }

    List<Fault> faults() {
        return faults;
    }

    Map<Fault.Kind, Integer> countsByKind() {
        Map<Fault.Kind, Integer> counts = new EnumMap<>(Fault.Kind.class);
        faults.forEach(f -> counts.merge(f.kind(), 1, Integer::sum));
        return counts;
    }

    /** A quiet period between faults, drawn from the schedule. */
    long nextPauseMillis() {
        return 1000 + random.nextInt(3000);
    }

    /**
     * Waits (at most {@code bound}) until some node reports ACTIVE over HTTP, so that the next fault
     * does not start in the middle of an election: each liveness measurement then belongs to one
     * fault. The verdict comes from the role logs, not from this wait.
     */
    void awaitActive(java.time.Duration bound) throws InterruptedException {
        long end = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < end) {
            try {
                if (cluster.activeNow(0).isPresent()) {
                    return;
                }
            } catch (AssertionError e) {
                System.out.printf("[chaos] !!! %s%n", e.getMessage());
                return;
            }
            Thread.sleep(100);
        }
        System.out.printf("[chaos] !!! no ACTIVE over HTTP within %d ms after fault %d healed%n", bound.toMillis(),
                faults.size());
    }

    /** What a fault itself found wrong (a node that started on a damaged log, a repair that did not catch up). */
    List<Violation> faultViolations() {
        return faultViolations;
    }

    /** Values nodes answered outside the workload (stale reads of sick and repaired nodes), for {@link ValueOriginChecker}. */
    List<ValueOriginChecker.Served> served() {
        List<ValueOriginChecker.Served> all = new ArrayList<>(served);
        if (disks != null) {
            all.addAll(disks.served());
        }
        return all;
    }

    /** The samples of every node under a disk fault, for {@link SickNodeChecker}. */
    List<SickNodeChecker.Watch> healthWatches() {
        return disks == null ? List.of() : disks.watches();
    }

    /** Nodes that exited without being told to, in the order they were found. */
    List<UnexpectedExit> unexpectedExits() {
        return unexpectedExits;
    }

    /** What the final heal found still in force and undid ("restarted n2, killed by fault 7"). */
    List<String> healActions() {
        return healActions;
    }

    /**
     * Restarts every node found dead that no fault in progress has killed, recording each one as
     * an unexpected exit; its process end is the instant it was found dead (late, never early).
     */
    private void restartUnexpectedlyDead(String when) {
        for (NodeProcess node : cluster.nodes()) {
            Down down = downByFault.get(node.id());
            if (!node.isAlive() && (down == null || !down.dead())) {
                downByFault.remove(node.id());
                long seen = System.nanoTime();
                UnexpectedExit exit = new UnexpectedExit(node.id(), node.exitCode(), when, node.logTail(30));
                System.out.printf("[chaos] !!! node exited on its own: %s exit code %s %s; restarting it%n", node.id(),
                        exit.exitCode(), when);
                unexpectedExits.add(exit);
                processEnds.get(node.id()).add(seen);
                node.restart();
            }
        }
    }

    /**
     * The candidates of a disk fault once they serve: a node restarted by the fault before may
     * still be opening its log, and a log made unwritable under a starting node stops its start
     * (exit 1, "Operation not permitted"), which is right for the node but is not the fault meant
     * (seed 1796198331632: LOG_UNWRITABLE on n2 1.6 s after its restart). HTTP starts after the
     * log is open, so a node that answers its status has its log open. Waits up to 20 s for them;
     * a node still not serving then is left out (none left: the fault hits no node).
     */
    private List<NodeProcess> serving(List<NodeProcess> candidates) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        List<NodeProcess> out = new ArrayList<>();
        for (NodeProcess node : candidates) {
            boolean up;
            while (!(up = cluster.tryStatus(node).isPresent()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            if (up) {
                out.add(node);
            }
        }
        return out;
    }

    private Fault.Kind nextKind() {
        if (bag.isEmpty()) {
            bag.addAll(kinds);
            Collections.shuffle(bag, new java.util.Random(random.nextLong()));
        }
        return bag.remove(bag.size() - 1);
    }

    /** Draws, injects, holds and heals one fault; returns it. */
    Fault injectOne() throws InterruptedException {
        restartUnexpectedlyDead("before fault " + (faults.size() + 1));
        Fault.Kind kind = nextKind();
        int n = cluster.nodes().size();
        int minority = (n - 1) / 2;
        boolean atActive = random.nextBoolean();
        int count = 1 + random.nextInt(minority);
        long holdMillis = switch (kind) {
            case KILL, TERMINATE -> 300 + random.nextInt(3000);
            case PAUSE -> 300 + random.nextInt(4500);
            case ISOLATE_ACTIVE, SPLIT, BRIDGE, DISK_FULL, LOG_UNWRITABLE -> 1500 + random.nextInt(6000);
            case CORRUPT_STOPPED -> 0; // it lasts as long as the refused start, the repair and the catch-up take
            case REPLACE_MEMBER -> 0; // as long as the removal, the join and the catch-up take
        };
        List<NodeProcess> order = shuffled(cluster.nodes(), random.nextLong());
        int number = faults.size() + 1;
        List<NodeProcess> eligible = switch (kind) {
            case DISK_FULL -> serving(order.stream().filter(disks.onTmpfs()::contains).toList());
            case LOG_UNWRITABLE -> serving(order.stream().filter(disks.onDisk()::contains).toList());
            default -> order;
        };
        List<NodeProcess> targets = pickTargets(eligible, atActive || kind == Fault.Kind.ISOLATE_ACTIVE,
                Math.min(count, eligible.size()));
        String targetNote = atActive || kind == Fault.Kind.ISOLATE_ACTIVE
                ? (activeFound ? "the active first" : "no eligible active found: random nodes") : "random nodes";
        long start;
        long heal;
        String what;
        switch (kind) {
            case KILL -> {
                start = System.nanoTime();
                for (NodeProcess t : targets) {
                    downByFault.put(t.id(), new Down("killed by fault " + number, true));
                    t.kill9(); // returns once the process is gone: a late bound of its end, never early
                    processEnds.get(t.id()).add(System.nanoTime());
                }
                Thread.sleep(holdMillis);
                targets.forEach(NodeProcess::restart);
                targets.forEach(t -> downByFault.remove(t.id()));
                heal = System.nanoTime();
                what = "kill -9, restart after " + holdMillis + " ms";
            }
            case PAUSE -> {
                start = System.nanoTime();
                targets.forEach(t -> downByFault.put(t.id(), new Down("stopped (SIGSTOP) by fault " + number, false)));
                targets.forEach(NodeProcess::sigstop);
                Thread.sleep(holdMillis);
                targets.forEach(NodeProcess::sigcont);
                targets.forEach(t -> downByFault.remove(t.id()));
                heal = System.nanoTime();
                what = "SIGSTOP for " + holdMillis + " ms";
            }
            case TERMINATE -> {
                targets = targets.subList(0, 1);
                start = System.nanoTime();
                NodeProcess t = targets.get(0);
                downByFault.put(t.id(), new Down("terminated by fault " + number, true));
                t.terminate();
                processEnds.get(t.id()).add(System.nanoTime());
                Thread.sleep(holdMillis);
                t.restart();
                downByFault.remove(t.id());
                heal = System.nanoTime();
                what = "SIGTERM (hand-over), restart after " + holdMillis + " ms";
            }
            case ISOLATE_ACTIVE, SPLIT -> {
                List<NodeProcess> rest = new ArrayList<>(cluster.nodes());
                rest.removeAll(targets);
                start = System.nanoTime();
                cutInForce = "cut of fault " + number;
                partitions.cut(hosts(targets), hosts(rest));
                Thread.sleep(holdMillis);
                partitions.heal();
                cutInForce = null;
                heal = System.nanoTime();
                what = "cut " + ids(targets) + " | " + ids(rest) + " for " + holdMillis + " ms";
            }
            case BRIDGE -> {
                NodeProcess bridge = order.get(0);
                List<NodeProcess> sideA = new ArrayList<>();
                List<NodeProcess> sideB = new ArrayList<>();
                for (int i = 1; i < n; i++) {
                    (i % 2 == 1 ? sideA : sideB).add(order.get(i));
                }
                targets = List.of(bridge);
                start = System.nanoTime();
                cutInForce = "cut of fault " + number;
                partitions.cut(hosts(sideA), hosts(sideB));
                Thread.sleep(holdMillis);
                partitions.heal();
                cutInForce = null;
                heal = System.nanoTime();
                what = "cut " + ids(sideA) + " | " + ids(sideB) + ", bridge " + bridge.id() + " sees both, for "
                        + holdMillis + " ms";
            }
            case DISK_FULL, LOG_UNWRITABLE -> {
                start = System.nanoTime();
                DiskNemesis.Held held = kind == Fault.Kind.DISK_FULL ? disks.full(number, targets, holdMillis)
                        : disks.unwritableLog(number, targets, holdMillis);
                heal = held.healNanos();
                what = held.what();
            }
            case CORRUPT_STOPPED -> {
                long damageSeed = random.nextLong(); // drawn whatever happens next: the schedule stays the seed's
                CorruptStopped c = new CorruptStopped(cluster, keys);
                NodeProcess t = c.pickFollower(order);
                targets = List.of(t);
                targetNote = "a follower";
                String unsafe = c.awaitHealthyMajorityWithout(t);
                start = System.nanoTime();
                downByFault.put(t.id(), new Down("stopped for bit rot by fault " + number, true));
                t.terminate();
                processEnds.get(t.id()).add(System.nanoTime());
                CorruptStopped.Outcome o = unsafe != null ? c.restartUndamaged(t, unsafe)
                        : c.damageAndRepair(t, new SplittableRandom(damageSeed), number, processEnds.get(t.id()));
                downByFault.remove(t.id());
                heal = System.nanoTime();
                what = o.what();
                faultViolations.addAll(o.violations());
                served.addAll(o.served());
                if (!o.damaged()) {
                    kind = Fault.Kind.TERMINATE; // counted as what it was: no bit rot was exercised
                }
            }
            case REPLACE_MEMBER -> {
                NodeProcess t = targets.get(0);
                targets = List.of(t);
                start = System.nanoTime();
                downByFault.put(t.id(), new Down("removed from the membership by fault " + number, true));
                MemberReplacement.Outcome o = new MemberReplacement(cluster, joinOptions).replace(t, processEnds.get(t.id()), number);
                downByFault.remove(t.id());
                heal = System.nanoTime();
                what = o.what();
                faultViolations.addAll(o.violations());
            }
            default -> throw new IllegalStateException(kind.name());
        }
        Fault f = new Fault(number, kind, ids(targets), start, heal, what + "; " + targetNote);
        faults.add(f);
        System.out.printf("[chaos] %s%n", f);
        return f;
    }

    /**
     * Ends every fault that might still be in force (the run was interrupted in the middle of one):
     * partitions healed, stopped nodes resumed, killed ones restarted, each recorded in {@link
     * #healActions()}; a node found dead that no fault killed is an unexpected exit.
     */
    void healEverything() {
        if (partitions != null) {
            partitions.heal();
        }
        if (cutInForce != null) {
            healActions.add("healed the " + cutInForce);
            cutInForce = null;
        }
        restartUnexpectedlyDead("at the final heal");
        for (NodeProcess node : cluster.nodes()) {
            Down down = downByFault.remove(node.id());
            if (down == null) {
                continue;
            }
            if (node.isAlive() && resumed(node)) {
                healActions.add("resumed " + node.id() + ", " + down.cause());
            } else {
                processEnds.get(node.id()).add(System.nanoTime());
                node.restart();
                healActions.add("restarted " + node.id() + ", " + down.cause());
            }
        }
        if (disks != null) {
            healActions.addAll(disks.healEverything());
        }
        unexpectedExits.stream().filter(e -> e.when().equals("at the final heal"))
                .forEach(e -> healActions.add("restarted " + e.node() + ", which had exited on its own"));
        healActions.forEach(a -> System.out.printf("[chaos] final heal: %s%n", a));
    }

    private static boolean resumed(NodeProcess node) {
        try {
            node.sigcont(); // harmless if it was not stopped
            return true;
        } catch (IllegalStateException e) {
            return false; // it exited meanwhile
        }
    }

    /** SIGTERM to every node in parallel; records each one's exit time. A node already dead is an unexpected exit. */
    void stopAll() {
        for (NodeProcess node : cluster.nodes()) {
            if (!node.isAlive() && !downByFault.containsKey(node.id())) {
                unexpectedExits.add(new UnexpectedExit(node.id(), node.exitCode(), "after the final heal", node.logTail(30)));
                processEnds.get(node.id()).add(System.nanoTime());
                System.out.printf("[chaos] !!! node exited on its own after the final heal: %s%n", node.id());
            }
        }
        CompletableFuture.allOf(cluster.nodes().stream()
                        .map(node -> CompletableFuture.runAsync(() -> {
                            boolean wasAlive = node.isAlive();
                            node.terminate();
                            if (wasAlive) {
                                processEnds.get(node.id()).add(System.nanoTime());
                            }
                        }))
                        .toArray(CompletableFuture[]::new))
                .join();
    }

    private List<NodeProcess> pickTargets(List<NodeProcess> order, boolean activeFirst, int count) {
        List<NodeProcess> targets = new ArrayList<>();
        activeFound = false;
        if (activeFirst) {
            try {
                Optional<TestCluster.Active> active = cluster.activeNow(0).filter(a -> order.contains(a.node()));
                active.ifPresent(a -> targets.add(a.node()));
                activeFound = active.isPresent();
            } catch (AssertionError e) { // two ACTIVE in one term over HTTP: the role-log checker reports it
                System.out.printf("[chaos] !!! %s%n", e.getMessage());
            }
        }
        for (NodeProcess n : order) {
            if (targets.size() >= count) {
                break;
            }
            if (!targets.contains(n)) {
                targets.add(n);
            }
        }
        return targets;
    }

    private static List<NodeProcess> shuffled(List<NodeProcess> nodes, long seed) {
        List<NodeProcess> copy = new ArrayList<>(nodes);
        Collections.shuffle(copy, new java.util.Random(seed));
        return copy;
    }

    private static List<String> hosts(List<NodeProcess> nodes) {
        return nodes.stream().map(NodeProcess::host).toList();
    }

    private static List<String> ids(List<NodeProcess> nodes) {
        return nodes.stream().map(NodeProcess::id).toList();
    }
}
