package dev.baton.client.internal;

import dev.baton.client.AccessDeniedException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answers of one discovery round ({@code GET /v1/leader} sent to every known node in
 * parallel). Pure and single-threaded: {@link Discovery} feeds it under a lock.
 *
 * <p>Choice: the answer with the highest term wins (the term only grows, so a deposed leader that
 * still believes in itself, e.g. resumed after a pause, loses to its successor; Raft §5.1). Two
 * answers with the same term name the same leader in Raft; if they ever differ, the one named by
 * more nodes wins, then the first.
 *
 * <p>The round is decided once every node has answered or failed, or once a majority of the asked
 * nodes has answered and one of them named a leader; so one hung node does not delay discovery by
 * a whole request timeout.
 */
public final class DiscoveryRound {

    private final int asked;
    private int answered;
    private int failed;
    private final Map<LeaderRef, Integer> votes = new HashMap<>();
    private final List<LeaderRef> order = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private AccessDeniedException denied;

    public DiscoveryRound(int asked) {
        if (asked < 1) {
            throw new IllegalArgumentException("a discovery round asks at least one node");
        }
        this.asked = asked;
    }

    /** {@code node} says {@code leader} is the active. */
    public void leader(URI node, LeaderRef leader) {
        answered++;
        if (votes.merge(leader, 1, Integer::sum) == 1) {
            order.add(leader);
        }
    }

    /** {@code node} answered but knows no active (503 no_leader, or an unusable answer). */
    public void noLeader(URI node, String reason) {
        answered++;
        problems.add(node + ": " + reason);
    }

    /** {@code node} refused the client's token (401/403): no leader from it, and the call should not wait for one. */
    public void denied(URI node, AccessDeniedException e) {
        answered++;
        problems.add(node + ": " + e.status() + " " + e.errorCode());
        if (denied == null) {
            denied = e;
        }
    }

    /** The first 401/403 of the round, if any. */
    public Optional<AccessDeniedException> denied() {
        return Optional.ofNullable(denied);
    }

    /** {@code node} could not be asked (connection refused, timeout, ...). */
    public void failure(URI node, String reason) {
        failed++;
        problems.add(node + ": " + reason);
    }

    public boolean isDecided() {
        return answered + failed >= asked || (answered > asked / 2 && !votes.isEmpty());
    }

    /** The chosen leader so far: highest term, then most votes, then first seen. */
    public Optional<LeaderRef> best() {
        LeaderRef best = null;
        for (LeaderRef candidate : order) {
            if (best == null || candidate.term() > best.term()
                    || (candidate.term() == best.term() && votes.get(candidate) > votes.get(best))) {
                best = candidate;
            }
        }
        return Optional.ofNullable(best);
    }

    /** What went wrong per node, in arrival order. */
    public List<String> problems() {
        return List.copyOf(problems);
    }
}
