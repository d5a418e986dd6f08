package dev.baton.node.http;

import dev.baton.client.wire.ErrorBody;
import dev.baton.client.wire.ErrorCodes;
import dev.baton.node.role.RoleState;
import java.util.Map;
import java.util.concurrent.Executor;

/** {@code GET /v1/status}, {@code GET /v1/leader} (optionally long-polling) and {@code GET /v1/leader/watch}. */
final class ClusterHandler {

    static final long DEFAULT_WAIT_MS = 30_000;
    static final long MAX_WAIT_MS = 300_000;

    private final NodeView view;
    private final LeaderFeed feed;
    private final Executor responder;

    ClusterHandler(NodeView view, LeaderFeed feed, Executor responder) {
        this.view = view;
        this.feed = feed;
        this.responder = responder;
    }

    void status(HttpCall call) {
        Exchanges.json(call, 200, view.status());
    }

    void leader(HttpCall call, Map<String, String> params) {
        if (!params.containsKey("waitForTermAbove")) {
            answer(call, LeaderFeed.Snapshot.of(view, view.consensus.view()));
            return;
        }
        long above = Paths.nonNegativeLong(params, "waitForTermAbove", 0);
        long timeoutMs = Paths.nonNegativeLong(params, "timeoutMs", DEFAULT_WAIT_MS);
        if (timeoutMs > MAX_WAIT_MS) {
            throw ApiException.badRequest(ErrorCodes.INVALID_PARAMETER, "timeoutMs=" + timeoutMs + " exceeds " + MAX_WAIT_MS);
        }
        feed.awaitTermAbove(above, timeoutMs).whenCompleteAsync((s, e) -> {
            if (e != null) {
                Exchanges.internalError(call, e);
            } else {
                answer(call, s);
            }
        }, responder);
    }

    private void answer(HttpCall call, LeaderFeed.Snapshot s) {
        if (s.leader() == null) {
            RoleState r = view.consensus.role();
            Exchanges.json(call, 503, ErrorBody.of(ErrorCodes.NO_LEADER,
                    view.config.nodeId() + " knows no active node (role " + r.role() + ", term " + r.term() + ")"));
        } else {
            Exchanges.json(call, 200, s.leader());
        }
    }

    void watch(HttpCall call) {
        feed.subscribe(call);
    }
}
