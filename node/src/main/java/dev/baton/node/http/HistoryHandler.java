package dev.baton.node.http;

import dev.baton.client.wire.ErrorCodes;
import dev.baton.client.wire.LeadershipHistory;
import dev.baton.client.wire.LeadershipTerm;
import dev.baton.node.Consensus;
import dev.baton.node.statemachine.TermRecord;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/history[?limit=N]}: the leadership history from this node's replica (no log round,
 * any role), as of the applied index it reports. Every node that applied the same entries answers
 * the same terms.
 */
final class HistoryHandler {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = dev.baton.node.statemachine.LeadershipHistory.MAX_TERMS;

    private final NodeView view;

    HistoryHandler(NodeView view) {
        this.view = view;
    }

    void history(HttpCall call, Map<String, String> params) {
        long limit = Paths.nonNegativeLong(params, "limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest(ErrorCodes.INVALID_PARAMETER, "limit=" + limit + " is not within 1.." + MAX_LIMIT);
        }
        Consensus.History h = view.consensus.history((int) limit);
        Exchanges.json(call, 200, new LeadershipHistory(h.terms().stream().map(HistoryHandler::wire).toList(),
                dev.baton.node.statemachine.LeadershipHistory.CLOCK, h.appliedIndex(), view.config.nodeId()));
    }

    static LeadershipTerm wire(TermRecord r) {
        return new LeadershipTerm(r.term(), r.leader(), r.cause().wireName(), known(r.activeAtMs()), known(r.endedAtMs()),
                known(r.gapMs()), r.previousLeader(), r.endReason() == null ? null : r.endReason().wireName());
    }

    private static Long known(long v) {
        return v < 0 ? null : v;
    }

}
