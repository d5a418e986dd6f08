package dev.baton.client.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns of a new leader as soon as any node does. For a term T, one <em>round</em> asks every
 * known node {@code GET /v1/leader?waitForTermAbove=T&timeoutMs=W} in parallel and ends with the
 * first answer naming a leader of a term above T with a usable URL (cached in the {@link
 * ClusterView}), or empty once every node has answered otherwise, failed or timed out. A node
 * answers the long-poll at once if it already knows such a leader; a node that gives up after W
 * answers with what it knows then, which is ignored unless its term is above T (terms only grow,
 * Raft §5.1, so a higher term is a newer leader).
 *
 * <p>Sharing: at most one round per term is outstanding, and every wait for a leader above T gets
 * that round's result, so 64 concurrent calls cost one long-poll per node, not 64. A round that
 * ended is forgotten, so a later wait starts a new one. When a round ends, its polls still open
 * (e.g. to a hung old leader) are cancelled, which closes their connections: polls do not pile up.
 * A round is not cancelled when its waiters give up: a call that backs off and waits again for
 * the same term rejoins it instead of opening new connections.
 *
 * <p>Thread-safe. Answers are handled on the transport's threads; a result future completes on
 * one of them (or on the caller's thread if the answer was already there).
 */
public final class LeaderChanges implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaderChanges.class);

    /**
     * W, the long-poll time a node may hold a round's request: long enough to cover an election
     * (about a second) without re-polling, short enough that a round for a term nobody waits for
     * any more ends soon.
     */
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(5);
    /** The HTTP timeout of a poll is W plus this, so that a node's own answer at W arrives first. */
    static final Duration POLL_MARGIN = Duration.ofSeconds(1);

    private final Transport transport;
    private final ClusterView view;
    private final Duration poll;
    private final Map<Long, Round> rounds = new HashMap<>(); // guarded by this
    private boolean closed; // guarded by this

    /** @param poll W, the time a node may hold a poll (at most 300 s, the nodes' limit) */
    public LeaderChanges(Transport transport, ClusterView view, Duration poll) {
        if (poll.toMillis() < 1 || poll.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("long-poll time must be 1 ms to 300 s, got " + poll);
        }
        this.transport = transport;
        this.view = view;
        this.poll = poll;
    }

    /**
     * A leader of a term above {@code term}: the cached one if it qualifies (another call's round
     * may have found it already), else {@link #reportedAbove}.
     */
    public CompletableFuture<Optional<LeaderRef>> above(long term) {
        Optional<LeaderRef> cached = view.leader().filter(l -> l.term() > term);
        return cached.isPresent() ? CompletableFuture.completedFuture(cached) : reportedAbove(term);
    }

    /**
     * A leader of a term above {@code term} as a node reports it, not the cache: the result of the
     * (shared) round for {@code term}, empty if the round ends without one. The returned future is
     * the caller's own: cancelling it does not affect other waiters.
     */
    public CompletableFuture<Optional<LeaderRef>> reportedAbove(long term) {
        Round round;
        boolean started;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            round = rounds.get(term);
            started = round == null;
            if (started) {
                round = new Round(term);
                rounds.put(term, round);
            }
        }
        if (started) {
            round.start(view.knownNodes());
        }
        return round.result.copy();
    }

    /** Ends every round with empty and cancels its polls. */
    @Override
    public void close() {
        List<Round> open;
        synchronized (this) {
            closed = true;
            open = List.copyOf(rounds.values());
        }
        open.forEach(r -> r.finish(Optional.empty()));
    }

    /** The leader {@code outcome} names if it is of a term above {@code term} and has a usable URL. */
    static Optional<LeaderRef> newerLeader(Outcome outcome, long term) {
        if (!(outcome instanceof Outcome.Answer answer) || answer.status() != 200) {
            return Optional.empty();
        }
        try {
            return Optional.of(Discovery.leaderOf(answer)).filter(l -> l.term() > term);
        } catch (IOException | IllegalArgumentException e) {
            log.debug("ignoring an unusable long-poll answer: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** One long-poll per known node, for leaders above {@link #term}. */
    private final class Round {
        private final long term;
        private final CompletableFuture<Optional<LeaderRef>> result = new CompletableFuture<>();
        private final List<CompletableFuture<Outcome>> polls = new ArrayList<>(); // guarded by this
        private int pending; // guarded by this
        private boolean finished; // guarded by this

        Round(long term) {
            this.term = term;
        }

        void start(Set<URI> nodes) {
            synchronized (this) {
                pending = nodes.size();
            }
            if (nodes.isEmpty()) {
                finish(Optional.empty());
            }
            for (URI node : nodes) {
                if (result.isDone()) {
                    break; // an earlier node already named the leader
                }
                CompletableFuture<Outcome> poll = transport.send(request(node));
                track(poll);
                poll.thenAccept(this::answered);
            }
        }

        private HttpRequest request(URI node) {
            String path = Paths.LEADER + "?waitForTermAbove=" + term + "&timeoutMs=" + poll.toMillis();
            return NodeUrls.getJson(node, path, poll.plus(POLL_MARGIN));
        }

        /** Keeps {@code poll} for cancelling, or cancels it at once if the round has already ended. */
        private void track(CompletableFuture<Outcome> poll) {
            boolean over;
            synchronized (this) {
                over = finished;
                if (!over) {
                    polls.add(poll);
                }
            }
            if (over) {
                poll.cancel(true);
            }
        }

        private void answered(Outcome outcome) {
            Optional<LeaderRef> leader = newerLeader(outcome, term);
            if (leader.isPresent()) {
                finish(leader);
                return;
            }
            boolean last;
            synchronized (this) {
                last = --pending == 0;
            }
            if (last) {
                finish(Optional.empty());
            }
        }

        /** The first call wins: caches the leader, forgets the round, wakes the waiters, cancels the polls. */
        void finish(Optional<LeaderRef> leader) {
            List<CompletableFuture<Outcome>> open;
            synchronized (this) {
                if (finished) {
                    return;
                }
                finished = true;
                open = List.copyOf(polls);
                polls.clear();
            }
            leader.ifPresent(view::offerLeader);
            synchronized (LeaderChanges.this) {
                rounds.remove(term, this);
            }
            log.debug("leader change above term {}: {}", term, leader.map(LeaderRef::toString).orElse("none"));
            result.complete(leader);
            open.forEach(p -> p.cancel(true));
        }
    }
}
