package dev.baton.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OperationsTest {

    @Test
    void routesMapToTheirOperation() {
        String[][] table = {
            {"GET", "/v1/kv/some/key", "kv_get"},
            {"PUT", "/v1/kv/some/key", "kv_put"},
            {"DELETE", "/v1/kv/k", "kv_delete"},
            {"POST", "/v1/kv/k", "other"},
            {"GET", "/v1/kv", "kv_list"},
            {"PUT", "/v1/kv", "other"},
            {"POST", "/v1/sessions", "session_open"},
            {"GET", "/v1/status", "status"},
            {"GET", "/v1/leader", "leader"},
            {"GET", "/v1/leader/watch", "leader_watch"},
            {"GET", "/health/active", "health"},
            {"GET", "/health/anything", "health"},
            {"POST", "/v1/admin/promote", "admin_promote"},
            {"PUT", "/v1/admin/maintenance", "admin_maintenance"},
            {"POST", "/v1/admin/transfer", "admin_transfer"},
            {"GET", "/metrics", "metrics"},
            {"GET", "/v1/no-such-path", "other"},
            {"GET", "/v1/%6bv/k", "other"},
            {"GET", "/healthz", "other"},
        };
        for (String[] row : table) {
            assertThat(Operations.of(row[0], row[1])).as(row[0] + " " + row[1]).isEqualTo(row[2]);
        }
    }

    @Test
    void keysAndUnknownPathsNeverBecomeNames() {
        for (int i = 0; i < 1000; i++) {
            assertThat(Operations.ALL).contains(Operations.of("GET", "/v1/kv/user-" + i), Operations.of("PATCH", "/x/" + i));
        }
    }
}
