package dev.baton.bench;

import dev.baton.it.TestCluster;

/**
 * Keeps benchmark clusters away from the loopback blocks the integration tests take first
 * (127.0.0.21.. upwards, allocated per JVM): other test JVMs running at the same time on this
 * machine probe and bind those blocks too, and a race on one of them kills a node at start-up.
 */
final class BenchHosts {

    private BenchHosts() {}

    /**
     * Starts a cluster and waits for it to settle; on a machine so loaded that it does not settle
     * within the harness's wait, closes it and tries again on the next address block (3 attempts).
     */
    static TestCluster startCluster(String name, int size, java.util.List<String> nodeOptions) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            TestCluster c = TestCluster.create(name, size, nodeOptions.toArray(String[]::new));
            try {
                c.startAll();
                c.awaitSettled();
                return c;
            } catch (RuntimeException e) {
                System.out.printf("[bench] cluster start attempt %d failed (load %s): %s%n", attempt, FailoverBenchmark.loadavg(), e);
                c.close();
                last = e;
            }
        }
        throw last;
    }

    /** Consumes {@link TestCluster}'s address blocks below {@code block} (block k = 127.0.0.{10k+1}..). */
    static void skipBlocksBelow(int block) {
        while (true) {
            String host = TestCluster.allocateHosts(1).get(0);
            int last = Integer.parseInt(host.substring(host.lastIndexOf('.') + 1));
            if (last / 10 >= block - 1) {
                return;
            }
        }
    }
}
