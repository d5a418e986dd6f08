package dev.baton.bench;

import dev.baton.it.TestCluster;
import java.util.List;

/**
 * Starts benchmark clusters. Their loopback addresses come from the same lock-guarded blocks as the
 * integration tests' ({@code dev.baton.it.LoopbackBlocks}), so a benchmark beside an IT run on this
 * machine cannot take the same addresses.
 */
final class BenchCluster {

    private BenchCluster() {}

    /**
     * Starts a cluster and waits for it to settle; on a machine so loaded that it does not settle
     * within the harness's wait, closes it and tries again on another address block (3 attempts).
     * In {@link BenchSecurity secure mode} the nodes get peer TLS, HTTPS and the token file, and
     * {@link TestCluster#http()} sends the admin token.
     */
    static TestCluster start(String name, int size, List<String> nodeOptions) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            TestCluster c = TestCluster.create(name, size, BenchSecurity.context(), BenchSecurity::nodeOptions,
                    nodeOptions.toArray(String[]::new));
            c.http().bearer(BenchSecurity.token());
            try {
                c.startAll();
                c.awaitSettled();
                return c;
            } catch (RuntimeException e) {
                System.out.printf("[bench] cluster start attempt %d failed (load %s): %s%n", attempt, loadavg(), e);
                c.close();
                last = e;
            }
        }
        throw last;
    }

    /** {@code /proc/loadavg}, or "?" where there is none. */
    static String loadavg() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
