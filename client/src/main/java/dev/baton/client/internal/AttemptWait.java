package dev.baton.client.internal;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Waits for the answer of one attempt sent to the believed active, and gives it up early if the
 * cluster already has a newer leader. A normal answer takes a few ms, so after {@link
 * #HEDGE_DELAY} without one the wait also watches {@link LeaderChanges} for a leader of a term
 * above the target's: if one at another URL shows up first, the attempt is cancelled and that
 * leader returned, instead of waiting out the request timeout on a hung or cut-off old leader.
 * Without a known term (0) there is nothing to compare with, and the wait is a plain one.
 *
 * <p>Thread-safe; the calling thread blocks, on {@link Time}.
 */
final class AttemptWait {

    /**
     * Well above a healthy write (a few ms: one replication round trip and fsync), so a round of
     * long-polls starts only when something is wrong, and far below the request timeout.
     */
    static final Duration HEDGE_DELAY = Duration.ofMillis(100);

    /** How the wait ended. */
    sealed interface Result permits Answered, Superseded {}

    /** The attempt's own outcome (a timeout if even the transport's timeout did not fire). */
    record Answered(Outcome outcome) implements Result {}

    /** The attempt was cancelled, unanswered, for {@code next}, a leader of a higher term elsewhere. */
    record Superseded(LeaderRef next) implements Result {}

    private final LeaderChanges changes;
    private final Time time;

    AttemptWait(LeaderChanges changes, Time time) {
        this.changes = changes;
        this.time = time;
    }

    /**
     * @param target the node {@code sent} went to, as the active of its term; null for an attempt
     *     not sent to the active (no hedge)
     * @param limit how long to wait in all; the request's own timeout should end it first
     */
    Result await(CompletableFuture<Outcome> sent, LeaderRef target, Duration limit) throws InterruptedException {
        long start = time.nanoTime();
        if (target != null && target.term() > 0 && !time.await(sent, min(HEDGE_DELAY, limit))) {
            CompletableFuture<Optional<LeaderRef>> change = changes.above(target.term());
            time.await(CompletableFuture.anyOf(sent, change), left(start, limit));
            Optional<LeaderRef> next = change.isDone() && !sent.isDone()
                    ? change.join().filter(l -> !l.url().equals(target.url()))
                    : Optional.empty();
            // cancel fails only if the answer arrived meanwhile: then it is used after all
            if (next.isPresent() && sent.cancel(true)) {
                return new Superseded(next.get());
            }
        }
        if (time.await(sent, left(start, limit))) {
            return new Answered(outcomeOf(sent));
        }
        sent.cancel(true);
        return new Answered(Outcome.Failed.of(new HttpTimeoutException("no answer, not even a timeout, from the transport")));
    }

    private static Outcome outcomeOf(CompletableFuture<Outcome> done) {
        try {
            return done.join();
        } catch (CancellationException | CompletionException e) {
            return Outcome.Failed.of(e); // a transport breaking its contract (never completes exceptionally)
        }
    }

    private Duration left(long startNanos, Duration limit) {
        Duration left = limit.minusNanos(time.nanoTime() - startNanos);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
