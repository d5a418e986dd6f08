package dev.baton.node.fencing.sim;

import java.util.Arrays;
import java.util.Random;

/**
 * The links between the simulated nodes: each message is lost with probability {@code loss} or
 * delivered after a delay drawn uniformly from [minDelay, maxDelay] (so messages overtake each
 * other), unless a partition separates sender and receiver when it is sent or when it arrives
 * (iptables DROP: nothing is refused, packets vanish). A partition is a group number per node;
 * nodes talk only within their group. A one-way cut drops what one node sends to another but not
 * the answers (an asymmetric firewall rule or a half-broken link).
 */
final class SimNetwork {

    private final Random random;
    private final int[] group;
    private final boolean[][] cut; // cut[a][b]: a's messages to b are dropped
    private long minDelayNanos;
    private long maxDelayNanos;
    private double loss;

    SimNetwork(Random random, int nodes, long minDelayNanos, long maxDelayNanos) {
        this.random = random;
        this.group = new int[nodes];
        this.cut = new boolean[nodes][nodes];
        this.minDelayNanos = minDelayNanos;
        this.maxDelayNanos = maxDelayNanos;
    }

    /** Whether {@code a}'s messages reach {@code b} now. */
    boolean connected(int a, int b) {
        return group[a] == group[b] && !cut[a][b];
    }

    /** Whether a TCP connection between them would work (both ways; a probe, a socket). */
    boolean bothWays(int a, int b) {
        return connected(a, b) && connected(b, a);
    }

    /** The delay for one message from {@code a} to {@code b}, or -1 if it is lost. */
    long delayOrLost(int a, int b) {
        if (!connected(a, b) || (loss > 0 && random.nextDouble() < loss)) {
            return -1;
        }
        return minDelayNanos + (long) (random.nextDouble() * (maxDelayNanos - minDelayNanos));
    }

    /** Every node in the group of its number in {@code groups}. */
    void partition(int[] groups) {
        heal();
        System.arraycopy(groups, 0, group, 0, group.length);
    }

    /** Drops {@code from}'s messages to {@code to}, and only those. */
    void cutOneWay(int from, int to) {
        cut[from][to] = true;
    }

    void heal() {
        Arrays.fill(group, 0);
        for (boolean[] row : cut) {
            Arrays.fill(row, false);
        }
    }

    boolean healed() {
        for (int i = 0; i < group.length; i++) {
            if (group[i] != group[0]) {
                return false;
            }
            for (boolean c : cut[i]) {
                if (c) {
                    return false;
                }
            }
        }
        return true;
    }

    void loss(double loss) {
        this.loss = loss;
    }

    double loss() {
        return loss;
    }

    void delays(long minNanos, long maxNanos) {
        this.minDelayNanos = minNanos;
        this.maxDelayNanos = maxNanos;
    }

    String describe() {
        StringBuilder b = new StringBuilder(Arrays.toString(group));
        for (int a = 0; a < cut.length; a++) {
            for (int c = 0; c < cut.length; c++) {
                if (cut[a][c]) {
                    b.append(" n").append(a + 1).append("-/->n").append(c + 1);
                }
            }
        }
        return b.toString();
    }
}
