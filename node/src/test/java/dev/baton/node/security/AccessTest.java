package dev.baton.node.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AccessTest {

    @Test
    void policyTable() {
        Object[][] table = {
            {"GET", "/health/live", null},
            {"GET", "/health/active", null},
            {"POST", "/health/standby", null},
            {"GET", "/", null},
            {"GET", "/web/app.js", null},
            {"GET", "/v1/cluster", AccessRole.READ},
            {"GET", "/webx", AccessRole.READ},
            {"GET", "/v1/kv/a", AccessRole.READ},
            {"GET", "/v1/kv", AccessRole.READ},
            {"GET", "/v1/status", AccessRole.READ},
            {"GET", "/v1/history", AccessRole.READ},
            {"GET", "/v1/leader", AccessRole.READ},
            {"GET", "/v1/leader/watch", AccessRole.READ},
            {"GET", "/v1/admin/maintenance", AccessRole.READ},
            {"GET", "/metrics", AccessRole.READ},
            {"POST", "/metrics", AccessRole.WRITE},
            {"GET", "/nope", AccessRole.READ},
            {"GET", "/healthz", AccessRole.READ},
            {"PUT", "/v1/kv/a", AccessRole.WRITE},
            {"DELETE", "/v1/kv/a", AccessRole.WRITE},
            {"POST", "/v1/sessions", AccessRole.WRITE},
            {"POST", "/v1/status", AccessRole.WRITE},
            {"POST", "/v1/admin/transfer", AccessRole.ADMIN},
            {"POST", "/v1/admin/promote", AccessRole.ADMIN},
            {"PUT", "/v1/admin/maintenance", AccessRole.ADMIN},
            {"DELETE", "/v1/admin/anything", AccessRole.ADMIN},
            {"GET", "/v1/admin/snapshot", AccessRole.ADMIN}, // a backup holds every value
            {"HEAD", "/v1/admin/snapshot", AccessRole.ADMIN},
            {"GET", "/v1/admin/snapshot2", AccessRole.READ},
        };
        for (Object[] row : table) {
            assertThat(AccessPolicy.required((String) row[0], (String) row[1])).as(row[0] + " " + row[1]).isEqualTo(row[2]);
        }
    }

    @Test
    void rolesAreOrdered() {
        assertThat(AccessRole.ADMIN.covers(AccessRole.WRITE)).isTrue();
        assertThat(AccessRole.WRITE.covers(AccessRole.READ)).isTrue();
        assertThat(AccessRole.READ.covers(AccessRole.WRITE)).isFalse();
        assertThat(AccessRole.WRITE.covers(AccessRole.ADMIN)).isFalse();
    }

    @Test
    void decisions() {
        Tokens tokens = new Tokens(List.of(
                new Tokens.Entry("r", AccessRole.READ, Tokens.sha256("tr")),
                new Tokens.Entry("w", AccessRole.WRITE, Tokens.sha256("tw"))));
        assertThat(Access.decide(null, null, tokens).allowed()).isTrue();
        assertThat(Access.decide(AccessRole.READ, null, tokens).status()).isEqualTo(401);
        assertThat(Access.decide(AccessRole.READ, "Basic dHI=", tokens).status()).isEqualTo(401);
        assertThat(Access.decide(AccessRole.READ, "Bearer nope", tokens).status()).isEqualTo(401);
        assertThat(Access.decide(AccessRole.READ, "Bearer nope", tokens).message()).doesNotContain("nope");
        assertThat(Access.decide(AccessRole.READ, "Bearer tr", tokens).allowed()).isTrue();
        assertThat(Access.decide(AccessRole.READ, "bearer  tw ", tokens).allowed()).isTrue();
        Access.Decision d = Access.decide(AccessRole.WRITE, "Bearer tr", tokens);
        assertThat(d.status()).isEqualTo(403);
        assertThat(d.message()).contains("role write").doesNotContain("tr ");
        assertThat(Access.decide(AccessRole.ADMIN, "Bearer tw", tokens).status()).isEqualTo(403);
        assertThat(Access.decide(AccessRole.READ, "Bearer tr", Tokens.NONE).status()).isEqualTo(401);
    }

    @Test
    void matchComparesHashesNotTokens() {
        Tokens tokens = new Tokens(List.of(new Tokens.Entry("a", AccessRole.READ, Tokens.sha256("secret"))));
        assertThat(tokens.match("secret")).isPresent();
        assertThat(tokens.match("secreT")).isEmpty();
        assertThat(tokens.match("")).isEmpty();
        assertThat(Tokens.hashed("secret")).startsWith("sha256:").hasSize(7 + 64);
    }
}
