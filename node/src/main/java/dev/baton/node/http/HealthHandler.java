package dev.baton.node.http;

import dev.baton.node.role.Role;
import dev.baton.node.role.RoleView;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Probes for load balancers and supervisors: 200 only when the node is in the asked-for role, else
 * 503; {@code /health/live} answers 503 while the node cannot persist (UNHEALTHY, with the reason),
 * since it then cannot do its part for the cluster even though the process runs.
 */
final class HealthHandler {
    private final NodeView view;

    HealthHandler(NodeView view) {
        this.view = view;
    }

    void role(HttpCall call, Role wanted) {
        RoleView v = view.consensus.view();
        Exchanges.json(call, v.role() == wanted ? 200 : 503, body(v));
    }

    void live(HttpCall call) {
        RoleView v = view.consensus.view();
        Exchanges.json(call, v.fault() == null ? 200 : 503, body(v));
    }

    private Map<String, Object> body(RoleView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", view.config.nodeId());
        m.put("role", v.role().name());
        m.put("term", v.term());
        if (v.fault() != null) {
            m.put("reason", v.fault().reason());
        }
        return m;
    }
}
