package dev.baton.client.internal;

import dev.baton.client.AccessDeniedException;
import dev.baton.client.wire.LeaderInfo;
import dev.baton.client.wire.NodeStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the active: asks every known node {@code GET /v1/leader} in parallel and lets a {@link
 * DiscoveryRound} choose. On success the leader is cached in the {@link ClusterView} and the
 * member list is refreshed in the background from the leader's {@code /v1/status}, so seeds may be
 * a subset of the cluster. Thread-safe; concurrent callers share the round in flight.
 */
public final class Discovery {

    private static final Logger log = LoggerFactory.getLogger(Discovery.class);

    /**
     * Result of one round: the chosen leader, if any, per-node problems, and the first 401/403 (a
     * token the nodes refuse: waiting for a leader would not help).
     */
    public record Result(Optional<LeaderRef> leader, List<String> problems, Optional<AccessDeniedException> denied) {
        public Result(Optional<LeaderRef> leader, List<String> problems) {
            this(leader, problems, Optional.empty());
        }
    }

    private final Transport transport;
    private final ClusterView view;
    private final Time time;
    private SharedRound current; // guarded by this

    public Discovery(Transport transport, ClusterView view, Time time) {
        this.transport = transport;
        this.view = view;
        this.time = time;
    }

    /** One round, bounded by {@code timeout}. */
    public Result discover(Duration timeout) throws InterruptedException {
        return discover(timeout, CompletableFuture.completedFuture(Optional.empty()));
    }

    /**
     * One round, bounded by {@code timeout}, that also ends when {@code newer} names a leader (a
     * {@link LeaderChanges} long-poll): a hung node keeps a round undecided until the timeout, and
     * the new leader may appear meanwhile. The leader of the higher term of the two is chosen.
     *
     * <p>Concurrent callers share the round in flight instead of asking every node again: 64
     * calls of a fresh client (or 64 calls whose leader just failed) cost one request per node,
     * not 64. Over HTTPS each of those requests may need its own handshake, and 192 of them at once
     * on a busy 2-core machine outlasted the attempt timeout; each timed-out call then started
     * another round, so 64 callers never got an answer (0 reads/s in the benchmark).
     */
    public Result discover(Duration timeout, CompletableFuture<Optional<LeaderRef>> newer) throws InterruptedException {
        SharedRound round = join(timeout);
        CompletableFuture<Void> decided = new CompletableFuture<>();
        round.decided.thenRun(() -> decided.complete(null));
        newer.thenAccept(leader -> {
            if (leader.isPresent()) {
                decided.complete(null);
            }
        });
        // if not decided in time: decide with what arrived
        time.await(decided, timeout.plusMillis(100));
        Optional<LeaderRef> reported = newer.isDone() ? newer.join() : Optional.empty();
        Result result;
        synchronized (round.answers) {
            Optional<LeaderRef> best = round.answers.best();
            boolean reportedWins = reported.isPresent() && (best.isEmpty() || reported.get().term() > best.get().term());
            result = new Result(reportedWins ? reported : best, round.answers.problems(), round.answers.denied());
        }
        result.leader().ifPresentOrElse(
                leader -> {
                    view.setLeader(leader);
                    if (round.refreshing.compareAndSet(false, true)) {
                        refreshMembers(leader.url(), timeout);
                    }
                },
                () -> log.debug("no active found; {}", result.problems()));
        return result;
    }

    /**
     * The round in flight if it is still undecided and within its time, else a new one that asks
     * every known node now. A round lives {@code timeout} (plus the 100 ms grace) from its start;
     * a caller that joins late waits no longer than its own timeout either way.
     */
    private SharedRound join(Duration timeout) {
        SharedRound round;
        synchronized (this) {
            if (current != null && !current.decided.isDone() && time.nanoTime() - current.endNanos < 0) {
                return current;
            }
            round = new SharedRound(view.knownNodes(), time.nanoTime() + timeout.plusMillis(100).toNanos());
            current = round;
        }
        for (URI node : round.nodes) {
            HttpRequest request = NodeUrls.getJson(node, Paths.LEADER, timeout);
            transport.send(request).thenAccept(outcome -> {
                synchronized (round.answers) {
                    record(round.answers, node, outcome);
                    if (round.answers.isDecided()) {
                        round.decided.complete(null);
                    }
                }
            });
        }
        return round;
    }

    /** One round of asking every node, shared by the callers that join it while it runs. */
    private static final class SharedRound {
        final Set<URI> nodes;
        final DiscoveryRound answers; // guarded by itself
        final CompletableFuture<Void> decided = new CompletableFuture<>();
        final long endNanos;
        /** Only the first caller to see the round's leader refreshes the member list from it. */
        final AtomicBoolean refreshing = new AtomicBoolean();

        SharedRound(Set<URI> nodes, long endNanos) {
            this.nodes = nodes;
            this.answers = new DiscoveryRound(nodes.size());
            this.endNanos = endNanos;
        }
    }

    /** Learns member URLs from {@code node}'s status, in the background; failures are only logged. */
    public void refreshMembers(URI node, Duration timeout) {
        HttpRequest request = NodeUrls.getJson(node, Paths.STATUS, timeout);
        transport.send(request).thenAccept(outcome -> {
            if (outcome instanceof Outcome.Answer answer && answer.status() == 200) {
                try {
                    view.learn(Json.read(answer.body(), NodeStatus.class));
                } catch (IOException e) {
                    log.debug("unreadable status from {}: {}", node, e.getMessage());
                }
            }
        });
    }

    static void record(DiscoveryRound round, URI node, Outcome outcome) {
        if (outcome instanceof Outcome.Failed failed) {
            round.failure(node, failed.reason());
            return;
        }
        Outcome.Answer answer = (Outcome.Answer) outcome;
        if (answer.status() == 401 || answer.status() == 403) {
            round.denied(node, ErrorMapping.accessDenied(answer, node));
            return;
        }
        if (answer.status() != 200) {
            round.noLeader(node, RetryPolicy.describe(answer.status(), Json.errorBody(answer.body())));
            return;
        }
        try {
            round.leader(node, leaderOf(answer));
        } catch (IOException | IllegalArgumentException e) {
            round.noLeader(node, "unusable leader answer: " + e.getMessage());
        }
    }

    /**
     * The leader a 200 answer of {@code GET /v1/leader} names (also a long-poll's; see {@link
     * LeaderChanges}).
     *
     * @throws IllegalArgumentException if it names one without a usable URL
     */
    static LeaderRef leaderOf(Outcome.Answer answer) throws IOException {
        LeaderInfo info = Json.read(answer.body(), LeaderInfo.class);
        if (info.url() == null || info.url().isBlank()) {
            throw new IllegalArgumentException("named leader " + info.id() + " without a URL");
        }
        return new LeaderRef(NodeUrls.parse(info.url()), info.id(), info.term());
    }
}
