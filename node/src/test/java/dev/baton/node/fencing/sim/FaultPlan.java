package dev.baton.node.fencing.sim;

import java.util.Arrays;
import java.util.Random;

/**
 * Draws one schedule's faults from the cluster's {@link Random} and puts them on its scheduler:
 * 1..maxFaults, starting at random times and overlapping, of
 *
 * <ul>
 *   <li>crash, and restart after {@link SimConfig#minRestartNanos()}-{@link SimConfig#maxRestartNanos()};
 *   <li>pause and resume (SIGSTOP/SIGCONT);
 *   <li>partition: one node isolated, a random split into two or three groups, or one or two links
 *       cut one way (a later partition replaces an earlier one);
 *   <li>a lossy, slow network;
 *   <li>a planned switchover of the leader's term ({@link SimSwitchover});
 *   <li>SIGTERM: step down, release the followers, leave; restart later.
 * </ul>
 *
 * A fault picks its victim when it strikes: the Raft leader more often than not, since that is
 * where fencing matters.
 *
 * <p>Also draws the network's baseline (delay bound, loss) for the whole run. Everything heals at
 * the returned instant: processes up, the network whole and back to its baseline.
 */
final class FaultPlan {

    private static final long MS = SimConfig.MS;
    private static final long[] MAX_DELAYS_MS = {1, 2, 5, 20};
    private static final double[] BASE_LOSS = {0, 0, 0.01, 0.05};

    private final SimCluster cluster;
    private final Random random;
    private final SimConfig config;
    private long baseMaxDelay;
    private double baseLoss;
    private int partitionEpoch;
    private int degradeEpoch;

    FaultPlan(SimCluster cluster) {
        this.cluster = cluster;
        this.random = cluster.random();
        this.config = cluster.config();
    }

    /** Schedules the faults; returns the true time at which the last one has healed. */
    long schedule() {
        baseMaxDelay = MAX_DELAYS_MS[random.nextInt(MAX_DELAYS_MS.length)] * MS;
        baseLoss = BASE_LOSS[random.nextInt(BASE_LOSS.length)];
        baseline();
        long t = (300 + random.nextInt(1_000)) * MS; // usually after a first leader was elected
        long healed = t;
        int faults = 1 + random.nextInt(config.maxFaults());
        for (int i = 0; i < faults; i++) {
            long d = duration();
            int kind = random.nextInt(12);
            if (kind < 2) {
                d = restartNanos();
                crash(t, d);
            } else if (kind < 5) {
                pause(t, d);
            } else if (kind < 9) {
                partition(t, d);
            } else if (kind < 10) {
                degrade(t, d);
            } else if (kind < 11) {
                d = SimSwitchover.LONGEST_NANOS;
                switchover(t);
            } else {
                d = restartNanos();
                leave(t, d);
            }
            healed = Math.max(healed, t + d);
            t += random.nextInt(1_500) * MS;
        }
        long end = healed + MS;
        cluster.at(end, this::healAll);
        return end;
    }

    private long restartNanos() {
        return config.minRestartNanos() + (long) (random.nextDouble() * (config.maxRestartNanos() - config.minRestartNanos()));
    }

    /** Short (below the lease), around the lease and grant, or long (past failure detection). */
    private long duration() {
        switch (random.nextInt(3)) {
            case 0:
                return (20 + random.nextInt(400)) * MS;
            case 1:
                return (350 + random.nextInt(500)) * MS;
            default:
                return (800 + random.nextInt(2_500)) * MS;
        }
    }

    private void crash(long at, long downNanos) {
        cluster.at(at, () -> {
            SimNode n = victim();
            if (n != null) {
                n.crash();
                cluster.at(cluster.now() + downNanos, () -> {
                    if (n.process() == SimProcess.State.CRASHED) {
                        n.start();
                    }
                });
            }
        });
    }

    /** An operator's switchover of the leader's term to another node, if some node leads. */
    private void switchover(long at) {
        cluster.at(at, () -> {
            SimNode[] nodes = cluster.nodes();
            for (int i = 0; i < nodes.length; i++) {
                if (nodes[i].leads()) {
                    int target = (i + 1 + random.nextInt(nodes.length - 1)) % nodes.length;
                    nodes[i].input(new NodeInput.SwitchoverRequested(target));
                    return;
                }
            }
        });
    }

    /** SIGTERM to the leader (or any node): it steps down, releases its followers and leaves, then restarts. */
    private void leave(long at, long downNanos) {
        cluster.at(at, () -> {
            SimNode n = victim();
            if (n != null) {
                n.input(new NodeInput.Leave());
                cluster.at(cluster.now() + downNanos, () -> {
                    if (n.process() == SimProcess.State.CRASHED) {
                        n.start();
                    }
                });
            }
        });
    }

    private void pause(long at, long pausedNanos) {
        cluster.at(at, () -> {
            SimNode n = victim();
            if (n != null) {
                n.pause();
                cluster.at(cluster.now() + pausedNanos, () -> {
                    if (n.process() == SimProcess.State.PAUSED) {
                        n.resume();
                    }
                });
            }
        });
    }

    private void partition(long at, long lastsNanos) {
        cluster.at(at, () -> {
            int[] groups = new int[config.nodes()];
            int shape = random.nextInt(4);
            if (shape == 0) {
                oneWay(lastsNanos);
                return;
            }
            if (shape == 1) {
                SimNode n = victim();
                if (n == null) {
                    return;
                }
                groups[indexOf(n)] = 1;
            } else {
                int parts = config.nodes() >= 5 && random.nextInt(3) == 0 ? 3 : 2;
                for (int i = 0; i < groups.length; i++) {
                    groups[i] = random.nextInt(parts);
                }
                if (Arrays.stream(groups).allMatch(g -> g == groups[0])) {
                    groups[random.nextInt(groups.length)] = (groups[0] + 1) % parts;
                }
            }
            int epoch = ++partitionEpoch;
            cluster.network().partition(groups);
            cluster.trace(-1, "PARTITION " + cluster.network().describe());
            cluster.at(cluster.now() + lastsNanos, () -> {
                if (epoch == partitionEpoch) {
                    cluster.network().heal();
                    cluster.trace(-1, "HEAL");
                }
            });
        });
    }

    /** Cuts one or two links one way: the victim's messages to another node, or another's to it. */
    private void oneWay(long lastsNanos) {
        SimNode n = victim();
        if (n == null) {
            return;
        }
        int v = indexOf(n);
        int epoch = ++partitionEpoch;
        cluster.network().heal();
        for (int k = 1 + random.nextInt(2); k > 0; k--) {
            int other = (v + 1 + random.nextInt(config.nodes() - 1)) % config.nodes();
            if (random.nextBoolean()) {
                cluster.network().cutOneWay(v, other);
            } else {
                cluster.network().cutOneWay(other, v);
            }
        }
        cluster.trace(-1, "PARTITION " + cluster.network().describe());
        cluster.at(cluster.now() + lastsNanos, () -> {
            if (epoch == partitionEpoch) {
                cluster.network().heal();
                cluster.trace(-1, "HEAL");
            }
        });
    }

    private void degrade(long at, long lastsNanos) {
        cluster.at(at, () -> {
            int epoch = ++degradeEpoch;
            double loss = new double[] {0.1, 0.3, 0.6}[random.nextInt(3)];
            long maxDelay = new long[] {20, 100, 300}[random.nextInt(3)] * MS;
            cluster.network().loss(loss);
            cluster.network().delays(50_000, maxDelay);
            cluster.trace(-1, "NETWORK loss " + loss + ", delay up to " + maxDelay / MS + " ms");
            cluster.at(cluster.now() + lastsNanos, () -> {
                if (epoch == degradeEpoch) {
                    baseline();
                }
            });
        });
    }

    private void baseline() {
        cluster.network().loss(baseLoss);
        cluster.network().delays(50_000, baseMaxDelay);
    }

    private void healAll() {
        cluster.network().heal();
        baseline();
        for (SimNode n : cluster.nodes()) {
            if (n.process() == SimProcess.State.PAUSED) {
                n.resume();
            } else if (n.process() == SimProcess.State.CRASHED) {
                n.start();
            }
        }
        cluster.trace(-1, "ALL HEALED");
    }

    /** The leader (60%) or any node, if it is running; else any running node; null if none. */
    private SimNode victim() {
        SimNode[] nodes = cluster.nodes();
        SimNode pick = null;
        if (random.nextInt(10) < 6) {
            for (SimNode n : nodes) {
                if (n.leads()) {
                    pick = n;
                }
            }
        }
        if (pick == null || pick.process() != SimProcess.State.RUNNING) {
            pick = nodes[random.nextInt(nodes.length)];
        }
        if (pick.process() != SimProcess.State.RUNNING) {
            for (SimNode n : nodes) {
                if (n.process() == SimProcess.State.RUNNING) {
                    return n;
                }
            }
            return null;
        }
        return pick;
    }

    private int indexOf(SimNode n) {
        return SimNode.indexOf(n.id());
    }
}
