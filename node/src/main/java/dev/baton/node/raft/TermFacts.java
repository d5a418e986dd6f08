package dev.baton.node.raft;

import dev.baton.node.fencing.FencingView;
import dev.baton.node.statemachine.LeaderFacts;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Gathers what a new leader knows of its predecessor for its term's first entry ({@link
 * LeaderFacts}): whom it last heard from as a follower and how long ago (the fencing view), and
 * whether that one's process is dead. A crash is usually known already (the crash fast path or a
 * held vote probed the port); if not, the port is probed once, for at most {@link #PROBE_CAP_MS},
 * so that a partition (probe times out) delays the new leader by no more than that.
 *
 * <p>Threading: stateless but for its probe thread; called from the role thread.
 */
final class TermFacts implements AutoCloseable {

    /** Longest a new leader waits for its own probe of the old leader's port. */
    static final long PROBE_CAP_MS = 50;

    private final String selfId;
    private final PortProbe ports;
    private final ExecutorService prober = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "baton-history-probe");
        t.setDaemon(true);
        return t;
    });

    TermFacts(String selfId, PortProbe ports) {
        this.selfId = selfId;
        this.ports = ports;
    }

    /** The facts for the first entry of {@code term}, as of now; completes within {@link #PROBE_CAP_MS} (never exceptionally). */
    CompletableFuture<LeaderFacts> gather(long term, FencingView fencing, boolean awaitingApproval) {
        if (fencing.leaseHeld() && fencing.leaseTerm() < term && fencing.leaseTerm() >= fencing.promiseTerm()) {
            // this node led last (it lost its majority and won it back): the gap runs from its own lease end
            long sinceMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fencing.leaseExpiryNanos()));
            return CompletableFuture.completedFuture(new LeaderFacts(System.currentTimeMillis(), selfId, sinceMs, false,
                    awaitingApproval));
        }
        String last = fencing.promisedTo();
        if (last == null || last.equals(selfId)) {
            return CompletableFuture.completedFuture(new LeaderFacts(System.currentTimeMillis(), "", -1, false, awaitingApproval));
        }
        long heard = fencing.lastHeardNanos();
        if (ports.seenGoneSince(last, heard)) {
            return CompletableFuture.completedFuture(facts(last, heard, true, awaitingApproval));
        }
        CompletableFuture<Boolean> gone;
        try {
            gone = CompletableFuture.supplyAsync(() -> ports.isGone(last), prober);
        } catch (RuntimeException e) {
            gone = CompletableFuture.completedFuture(false); // closing
        }
        return gone.completeOnTimeout(false, PROBE_CAP_MS, TimeUnit.MILLISECONDS)
                .exceptionally(e -> false)
                .thenApply(g -> facts(last, heard, g, awaitingApproval));
    }

    /** Read just before the entry is proposed: the gap runs to the proposal. */
    private static LeaderFacts facts(String last, long heardNanos, boolean gone, boolean awaitingApproval) {
        long sinceMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - heardNanos));
        return new LeaderFacts(System.currentTimeMillis(), last, sinceMs, gone, awaitingApproval);
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
