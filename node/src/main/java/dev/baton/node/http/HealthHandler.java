package dev.baton.node.http;

import com.sun.net.httpserver.HttpExchange;
import dev.baton.node.role.Role;
import dev.baton.node.role.RoleState;
import java.util.LinkedHashMap;
import java.util.Map;

/** Probes for load balancers: 200 only when the node is in the asked-for role, else 503. */
final class HealthHandler {
    private final NodeView view;

    HealthHandler(NodeView view) {
        this.view = view;
    }

    void role(HttpExchange ex, Role wanted) {
        RoleState r = view.consensus.role();
        Exchanges.json(ex, r.role() == wanted ? 200 : 503, body(r));
    }

    void live(HttpExchange ex) {
        Exchanges.json(ex, 200, body(view.consensus.role()));
    }

    private Map<String, Object> body(RoleState r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", view.config.nodeId());
        m.put("role", r.role().name());
        m.put("term", r.term());
        return m;
    }
}
