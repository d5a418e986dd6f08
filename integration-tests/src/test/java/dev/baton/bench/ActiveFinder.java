package dev.baton.bench;

import dev.baton.client.wire.NodeStatus;
import dev.baton.it.Http;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Finds the ACTIVE among a cluster's node URLs from their own {@code /v1/status}, for load that
 * goes straight at it (raw HTTP). Also for clusters this JVM did not start ({@code --seeds}).
 */
final class ActiveFinder {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private ActiveFinder() {}

    /** The URL of the one node reporting ACTIVE; waits up to 30 s for one, then fails. */
    static URI find(List<URI> seeds) throws InterruptedException {
        Http http = new Http(BenchSecurity.context()).bearer(BenchSecurity.token());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<URI> actives = seeds.stream().filter(u -> isActive(http, u)).toList();
            if (actives.size() == 1) {
                return actives.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no single ACTIVE among " + seeds + " within " + WAIT.toSeconds()
                        + " s (ACTIVE: " + actives + ")");
            }
            Thread.sleep(100);
        }
    }

    private static boolean isActive(Http http, URI node) {
        try {
            Http.Response r = http.getAsync(node + "/v1/status", Duration.ofSeconds(1)).join();
            return r.status() == 200 && "ACTIVE".equals(r.json(NodeStatus.class).role());
        } catch (RuntimeException e) {
            return false; // down or hung: not the ACTIVE
        }
    }
}
