package dev.baton.node.http;

import com.sun.net.httpserver.HttpExchange;
import dev.baton.client.wire.LeaderInfo;
import dev.baton.node.role.RoleState;

/** {@code GET /v1/status} and {@code GET /v1/leader}: answered by every node from its own view. */
final class ClusterHandler {
    private final NodeView view;

    ClusterHandler(NodeView view) {
        this.view = view;
    }

    void status(HttpExchange ex) {
        Exchanges.json(ex, 200, view.status());
    }

    void leader(HttpExchange ex) {
        RoleState r = view.consensus.role();
        LeaderInfo leader = view.leader(r);
        if (leader == null) {
            throw ApiException.noLeader(view.config.nodeId() + " knows no active node (role " + r.role() + ", term " + r.term() + ")");
        }
        Exchanges.json(ex, 200, leader);
    }
}
