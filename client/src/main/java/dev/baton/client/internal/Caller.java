package dev.baton.client.internal;

import dev.baton.client.BatonException;
import dev.baton.client.NoLeaderException;
import dev.baton.client.OutcomeUnknownException;
import dev.baton.client.wire.ErrorBody;
import dev.baton.client.wire.ErrorCodes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs calls until they complete or their deadline ends. {@link #execute}: against the active —
 * discover if no leader is cached, send, then act on {@link RetryPolicy}'s decision: follow a 307
 * (updating the cache), or drop the cache, back off and re-discover. A redirect to a node already
 * visited in the same chain, or more than {@value #MAX_REDIRECTS} in a row, counts as a failed
 * attempt. {@link #executeOnAnyNode}: stale reads — any known node, round-robin, the next node
 * after a failure, a backoff after each full round.
 *
 * <p>Following a failover without waiting it out ({@link LeaderChanges}): an attempt unanswered
 * after {@code AttemptWait.HEDGE_DELAY} is abandoned as soon as a leader of a higher term at
 * another URL is known, and sent there at once (a write then "may have applied"; the node's
 * de-duplication makes the resend safe). A backoff ends early, with that leader, as soon as one of
 * a term above the highest this call has seen is known; otherwise it runs in full and the call
 * re-discovers (so a leader that answered 503 and still leads is retried after the backoff). A
 * discovery round that a hung node holds up ends early the same way.
 *
 * <p>Thread-safe: a call's state lives on the calling thread's stack; shared state is the {@link
 * ClusterView} and the {@link LeaderChanges} rounds. The calling thread blocks; an interrupt ends
 * the call with the flag restored.
 */
public final class Caller {

    private static final Logger log = LoggerFactory.getLogger(Caller.class);

    static final int MAX_REDIRECTS = 3;
    static final int MAX_ATTEMPTS_REPORTED = 12;

    private final Transport transport;
    private final ClusterView view;
    private final Discovery discovery;
    private final Backoff backoff;
    private final Duration requestTimeout;
    private final Duration deadline;
    private final Time time;
    private final LeaderChanges changes;
    private final AttemptWait attemptWait;
    private final AtomicInteger nextNode = new AtomicInteger();

    /** What a call returned, which node served it, and that node's final answer (for its headers). */
    public record Served<T>(T value, URI node, Outcome.Answer answer) {}

    public Caller(Transport transport, ClusterView view, Discovery discovery, Backoff backoff,
            Duration requestTimeout, Duration deadline, Time time, LeaderChanges changes) {
        this.transport = transport;
        this.view = view;
        this.discovery = discovery;
        this.backoff = backoff;
        this.requestTimeout = requestTimeout;
        this.deadline = deadline;
        this.time = time;
        this.changes = changes;
        this.attemptWait = new AttemptWait(changes, time);
    }

    /**
     * Fresh discovery rounds (ignoring the cache) until one finds the active or the deadline ends;
     * between rounds, the first leader a node reports to a long-poll ends the wait and is the answer.
     */
    public LeaderRef findLeader() {
        Budget budget = new Budget();
        List<String> attempts = new ArrayList<>();
        for (int retry = 0; ; retry++) {
            Optional<LeaderRef> leader = discoverOnce(budget, attempts, 0);
            if (leader.isPresent()) {
                return leader.get();
            }
            leader = pause(budget, retry, () -> changes.reportedAbove(0), () -> noLeader(attempts));
            if (leader.isPresent()) {
                return leader.get();
            }
        }
    }

    public <T> T execute(Call<T> call) {
        return executeServed(call).value();
    }

    /** As {@link #execute}, also naming the node that served the call. */
    public <T> Served<T> executeServed(Call<T> call) {
        Budget budget = new Budget();
        List<String> attempts = new ArrayList<>();
        boolean mayHaveApplied = false;
        long seenTerm = 0; // highest term this call has seen; a backoff ends early for a newer leader
        Optional<LeaderRef> handedOver = Optional.empty(); // a newer leader a backoff ended for
        for (int retry = 0; ; retry++) {
            Optional<LeaderRef> known = handedOver.isPresent() ? handedOver : view.leader();
            LeaderRef target = known.isPresent() ? known.get() : discoverOnce(budget, attempts, seenTerm).orElse(null);
            Set<URI> visited = new HashSet<>();
            while (target != null && budget.remaining().compareTo(Duration.ZERO) > 0) {
                seenTerm = Math.max(seenTerm, target.term());
                URI node = target.url();
                visited.add(node);
                HttpRequest request = call.request(node, budget.attemptTimeout());
                // a switchover's own new leader must not make it resend itself: no hedge for it
                AttemptWait.Result result = await(transport.send(request), call.changesLeadership() ? null : target, call, attempts);
                if (result instanceof AttemptWait.Superseded superseded) {
                    RetryPolicy.Decision decision = RetryPolicy.superseded(call.write());
                    mayHaveApplied |= decision.mayHaveApplied();
                    note(attempts, node + ": " + decision.reason());
                    log.debug("{} {}: {} gave no answer; following {}", call.operation(), call.key(), node,
                            superseded.next());
                    visited.clear(); // a newer term starts a new redirect chain
                    target = superseded.next();
                    continue;
                }
                Outcome outcome = ((AttemptWait.Answered) result).outcome();
                RetryPolicy.Decision decision = RetryPolicy.decide(outcome, call.write());
                mayHaveApplied |= decision.mayHaveApplied();
                switch (decision.action()) {
                    case COMPLETE:
                        return complete(call, (Outcome.Answer) outcome, node, attempts, mayHaveApplied);
                    case FOLLOW_REDIRECT:
                        Optional<LeaderRef> next = RetryPolicy.redirectTarget((Outcome.Answer) outcome);
                        if (next.isPresent() && !visited.contains(next.get().url()) && visited.size() <= MAX_REDIRECTS) {
                            log.debug("{} {}: {} redirects to {}", call.operation(), call.key(), node, next.get());
                            view.setLeader(next.get());
                            target = next.get();
                        } else {
                            note(attempts, node + ": " + decision.reason()
                                    + (next.isPresent() ? " (redirect loop via " + next.get().url() + ")" : " (redirect names no leader)"));
                            view.dropLeader(node);
                            target = null;
                        }
                        break;
                    case RETRY:
                    default:
                        note(attempts, node + ": " + decision.reason());
                        log.debug("{} {}: {} failed: {}", call.operation(), call.key(), node, decision.reason());
                        view.dropLeader(node);
                        target = null;
                        break;
                }
            }
            boolean unknown = mayHaveApplied;
            long above = seenTerm;
            handedOver = pause(budget, retry, () -> changes.above(above), () -> exhausted(call, unknown, attempts));
        }
    }

    /**
     * Runs a read on whichever known node answers first, without redirects: round-robin over the
     * known nodes (a different first node for each call), the next node after a failed attempt,
     * a backoff after each full round, until the deadline.
     *
     * @throws NoLeaderException (sic: no node answered) when the deadline ends
     */
    public <T> Served<T> executeOnAnyNode(Call<T> call) {
        if (call.write()) {
            throw new IllegalArgumentException("writes go to the active");
        }
        Budget budget = new Budget();
        List<String> attempts = new ArrayList<>();
        for (int retry = 0; ; retry++) {
            List<URI> nodes = new ArrayList<>(view.knownNodes());
            Collections.rotate(nodes, -Math.floorMod(nextNode.getAndIncrement(), nodes.size()));
            for (URI node : nodes) {
                if (budget.remaining().compareTo(Duration.ZERO) <= 0) {
                    break;
                }
                AttemptWait.Result result = await(transport.send(call.request(node, budget.attemptTimeout())),
                        null, call, attempts);
                Outcome outcome = ((AttemptWait.Answered) result).outcome();
                RetryPolicy.Decision decision = RetryPolicy.decideAnyNodeRead(outcome);
                if (decision.action() == RetryPolicy.Action.COMPLETE) {
                    return complete(call, (Outcome.Answer) outcome, node, attempts, false);
                }
                note(attempts, node + ": " + decision.reason());
                log.debug("{} {}: {} failed: {}", call.operation(), call.key(), node, decision.reason());
            }
            pause(budget, retry, Caller::noWake, () -> new NoLeaderException(call.operation() + (call.key().isEmpty() ? "" : " of key '"
                    + call.key() + "'") + " failed: no node answered within " + deadline.toMillis() + " ms", attempts));
        }
    }

    /** {@code mayHaveApplied}: an earlier attempt of this call may have changed state. */
    private <T> Served<T> complete(Call<T> call, Outcome.Answer answer, URI node, List<String> attempts, boolean mayHaveApplied) {
        return new Served<>(value(call, answer, node, attempts, mayHaveApplied), node, answer);
    }

    private <T> T value(Call<T> call, Outcome.Answer answer, URI node, List<String> attempts, boolean mayHaveApplied) {
        if (answer.isSuccess()) {
            try {
                return call.onSuccess().read(answer);
            } catch (IOException | RuntimeException e) {
                throw new BatonException(call.operation() + " of key '" + call.key() + "': unreadable answer from "
                        + node + ": " + e.getMessage(), e);
            }
        }
        if (answer.status() == 404 && call.onKeyNotFound() != null
                && ErrorCodes.KEY_NOT_FOUND.equals(Json.errorBody(answer.body()).map(ErrorBody::error).orElse(null))) {
            return call.onKeyNotFound().get();
        }
        throw ErrorMapping.toException(call, answer, node, attempts, mayHaveApplied);
    }

    /**
     * One discovery round. Once the call has seen a term, the round also ends early when a leader of
     * a higher term is known ({@link LeaderChanges}); before that, a long-poll would only double
     * what discovery asks.
     */
    private Optional<LeaderRef> discoverOnce(Budget budget, List<String> attempts, long seenTerm) {
        try {
            Discovery.Result result = seenTerm > 0
                    ? discovery.discover(budget.attemptTimeout(), changes.above(seenTerm))
                    : discovery.discover(budget.attemptTimeout());
            if (result.leader().isEmpty()) {
                if (result.denied().isPresent()) {
                    throw result.denied().get();
                }
                result.problems().forEach(p -> note(attempts, p));
            }
            return result.leader();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BatonException("interrupted while looking for the active node", e);
        }
    }

    /**
     * Backs off before the next retry, or throws {@code onExhausted} if the deadline is (nearly)
     * over. The backoff ends early if {@code newerLeader}'s future names a leader before it is over.
     *
     * @param newerLeader started once the backoff begins; a leader the next attempt may go to
     * @return the leader that ended the backoff early, or empty after the full backoff
     */
    private Optional<LeaderRef> pause(Budget budget, int retry,
            Supplier<CompletableFuture<Optional<LeaderRef>>> newerLeader, Supplier<BatonException> onExhausted) {
        Duration remaining = budget.remaining();
        if (remaining.compareTo(Duration.ZERO) <= 0) {
            throw onExhausted.get();
        }
        Duration delay = backoff.delay(retry, () -> ThreadLocalRandom.current().nextDouble());
        delay = delay.compareTo(remaining) < 0 ? delay : remaining;
        long start = time.nanoTime();
        try {
            CompletableFuture<Optional<LeaderRef>> change = newerLeader.get();
            if (time.await(change, delay) && change.join().isPresent()) {
                log.debug("backoff ended early: {} is the newer leader", change.join().get());
                return change.join();
            }
            // no newer leader (yet): the rest of the backoff, as a round that ended empty must not make a busy loop
            Duration left = delay.minusNanos(time.nanoTime() - start);
            if (left.compareTo(Duration.ZERO) > 0) {
                time.sleep(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BatonException("interrupted while backing off", e);
        }
        if (budget.remaining().compareTo(Duration.ZERO) <= 0) {
            throw onExhausted.get();
        }
        return Optional.empty();
    }

    /** For a backoff that waits for nothing but its time. */
    private static CompletableFuture<Optional<LeaderRef>> noWake() {
        return CompletableFuture.completedFuture(Optional.empty());
    }

    /** Waits for an attempt ({@link AttemptWait}); {@code target} null: not sent to the active. */
    private AttemptWait.Result await(CompletableFuture<Outcome> sent, LeaderRef target, Call<?> call, List<String> attempts) {
        try {
            // the request carries its own timeout; the margin only guards against a transport that ignores it
            return attemptWait.await(sent, target, requestTimeout.plusSeconds(1));
        } catch (InterruptedException e) {
            sent.cancel(true);
            Thread.currentThread().interrupt();
            if (call.write()) {
                throw new OutcomeUnknownException(call.operation(), call.key(), "interrupted", attempts, e);
            }
            throw new BatonException(call.operation() + " of key '" + call.key() + "' interrupted", e);
        }
    }

    private BatonException exhausted(Call<?> call, boolean mayHaveApplied, List<String> attempts) {
        if (call.write() && mayHaveApplied) {
            return new OutcomeUnknownException(call.operation(), call.key(),
                    "no attempt was confirmed within the deadline of " + deadline.toMillis() + " ms", attempts, null);
        }
        return new NoLeaderException(call.operation() + (call.key().isEmpty() ? "" : " of key '" + call.key() + "'")
                + " failed: no active node answered within " + deadline.toMillis() + " ms", attempts);
    }

    private NoLeaderException noLeader(List<String> attempts) {
        return new NoLeaderException("no active node found within " + deadline.toMillis() + " ms", attempts);
    }

    /** Records a failed attempt; a repeat of an earlier one becomes a count, e.g. "... (3x)". */
    static void note(List<String> attempts, String attempt) {
        for (int i = 0; i < attempts.size(); i++) {
            String seen = attempts.get(i);
            if (seen.equals(attempt)) {
                attempts.set(i, attempt + " (2x)");
                return;
            }
            if (seen.startsWith(attempt + " (") && seen.endsWith("x)")) {
                String count = seen.substring(attempt.length() + 2, seen.length() - 2);
                if (count.chars().allMatch(Character::isDigit)) {
                    attempts.set(i, attempt + " (" + (Integer.parseInt(count) + 1) + "x)");
                    return;
                }
            }
        }
        if (attempts.size() == MAX_ATTEMPTS_REPORTED) {
            attempts.remove(0);
        }
        attempts.add(attempt);
    }

    /** The time left of one call. */
    private final class Budget {
        private final long endNanos = time.nanoTime() + deadline.toNanos();

        Duration remaining() {
            return Duration.ofNanos(endNanos - time.nanoTime());
        }

        /** Per-attempt timeout: the request timeout, cut to the time left (at least 1 ms). */
        Duration attemptTimeout() {
            Duration remaining = remaining();
            Duration t = remaining.compareTo(requestTimeout) < 0 ? remaining : requestTimeout;
            return t.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : t;
        }
    }
}
