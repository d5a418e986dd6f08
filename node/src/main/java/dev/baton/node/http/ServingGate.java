package dev.baton.node.http;

import dev.baton.client.wire.LeaderInfo;
import dev.baton.node.role.Role;
import dev.baton.node.role.RoleState;
import dev.baton.node.role.RoleView;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Lets a request that needs the ACTIVE through once this node serves, and holds one that arrives
 * during a leadership change (this node is a leader not yet serving, or a follower that knows no
 * live leader) for up to {@code maxHoldMs} instead of refusing it at once: an election takes a few
 * hundred milliseconds, and a client answered with 503 would only back off and ask again. A
 * request that can be sent elsewhere (a live leader is known) or that waits for an operator is
 * answered at once.
 *
 * <p>Threading: {@link #onViewChange} runs on the role thread and only completes futures; held
 * requests are re-examined on {@code responder} at each transition and at least every {@value
 * {@code recheckMs} ms (a follower starts naming a leader again without a role transition when the
 * leader's messages resume).
 */
final class ServingGate {

    /** What to do with a request now. */
    enum Decision { SERVE, HOLD, REFUSE }

    private final NodeView view;
    private final Executor responder;
    private final long maxHoldMs;
    private final long recheckMs;
    private final List<CompletableFuture<Void>> waiting = new CopyOnWriteArrayList<>();

    ServingGate(NodeView view, Executor responder, long maxHoldMs, long recheckMs) {
        this.recheckMs = recheckMs;
        this.view = view;
        this.responder = responder;
        this.maxHoldMs = maxHoldMs;
    }

    /**
     * Pure: SERVE on the ACTIVE; REFUSE (redirect or 503) when waiting cannot help; else HOLD.
     * {@code liveLeader} (the leader this node would redirect to, or null) is only asked off the
     * ACTIVE, so the common case costs a role check.
     */
    static Decision decide(RoleState r, Supplier<LeaderInfo> liveLeader, String selfId) {
        if (r.role() == Role.ACTIVE) {
            return Decision.SERVE;
        }
        if (r.role() == Role.PENDING_APPROVAL) {
            return Decision.REFUSE; // waits for an operator, not for an election
        }
        LeaderInfo leader = liveLeader.get();
        if (leader != null && !leader.id().equals(selfId) && leader.url() != null) {
            return Decision.REFUSE; // a redirect gets there sooner
        }
        return Decision.HOLD;
    }

    /** Role thread: the view changed; wakes every held request to look again. */
    void onViewChange() {
        for (CompletableFuture<Void> f : waiting) {
            f.complete(null);
        }
    }

    /**
     * Runs {@code serve} with the term once this node is ACTIVE; answers with {@code refusal}'s
     * error (a redirect or a 503) when it decides not to hold, or when the hold times out.
     */
    void whenServing(HttpCall call, LongConsumer serve, Function<RoleView, ApiException> refusal) {
        examine(call, serve, refusal, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxHoldMs));
    }

    /** Decides now; a held request is examined again on {@code responder} at the next wake-up. */
    private void examine(HttpCall call, LongConsumer serve, Function<RoleView, ApiException> refusal, long deadline) {
        RoleView v = view.consensus.view();
        RoleState r = v.state();
        Decision d = decide(r, () -> view.leader(v), view.config.nodeId());
        long leftNanos = deadline - System.nanoTime();
        if (d == Decision.SERVE) {
            serve.accept(r.term());
        } else if (d == Decision.REFUSE || leftNanos <= 0) {
            throw refusal.apply(v);
        } else {
            CompletableFuture<Void> wake = new CompletableFuture<>();
            waiting.add(wake);
            wake.completeOnTimeout(null, Math.min(TimeUnit.NANOSECONDS.toMillis(leftNanos) + 1, recheckMs), TimeUnit.MILLISECONDS)
                    .thenRunAsync(() -> {
                        waiting.remove(wake);
                        Exchanges.answering(call, () -> examine(call, serve, refusal, deadline));
                    }, responder);
        }
    }
}
