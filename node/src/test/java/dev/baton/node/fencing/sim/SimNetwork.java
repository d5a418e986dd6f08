package dev.baton.node.fencing.sim;

import java.util.Arrays;
import java.util.Random;

/**
 * The links between the simulated nodes: each message is lost with probability {@code loss} or
 * delivered after a delay drawn uniformly from [minDelay, maxDelay] (so messages overtake each
 * other), unless a partition separates sender and receiver when it is sent or when it arrives
 * (iptables DROP: nothing is refused, packets vanish). A partition is a group number per node;
 * nodes talk only within their group.
 */
final class SimNetwork {

    private final Random random;
    private final int[] group;
    private long minDelayNanos;
    private long maxDelayNanos;
    private double loss;

    SimNetwork(Random random, int nodes, long minDelayNanos, long maxDelayNanos) {
        this.random = random;
        this.group = new int[nodes];
        this.minDelayNanos = minDelayNanos;
        this.maxDelayNanos = maxDelayNanos;
    }

    boolean connected(int a, int b) {
        return group[a] == group[b];
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
        System.arraycopy(groups, 0, group, 0, group.length);
    }

    void heal() {
        Arrays.fill(group, 0);
    }

    boolean healed() {
        for (int g : group) {
            if (g != group[0]) {
                return false;
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
        return Arrays.toString(group);
    }
}
