package dev.baton.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesUnits() {
        assertThat(Durations.parseMillis("for", "250")).isEqualTo(250);
        assertThat(Durations.parseMillis("for", "250ms")).isEqualTo(250);
        assertThat(Durations.parseMillis("for", "30s")).isEqualTo(30_000);
        assertThat(Durations.parseMillis("for", "10m")).isEqualTo(600_000);
        assertThat(Durations.parseMillis("for", "2h")).isEqualTo(7_200_000);
    }

    @Test
    void refusesGarbageNamingTheParameter() {
        assertThatThrownBy(() -> Durations.parseMillis("for", "soon")).isInstanceOf(ApiException.class).hasMessageContaining("for='soon'");
        assertThatThrownBy(() -> Durations.parseMillis("for", "-5s")).isInstanceOf(ApiException.class);
    }

    @Test
    void aMaximumIsEnforcedWithoutOverflow() {
        assertThat(Durations.parseMillis("for", "24h", AdminHandler.MAX_MAINTENANCE_MS, "24h")).isEqualTo(AdminHandler.MAX_MAINTENANCE_MS);
        assertThatThrownBy(() -> Durations.parseMillis("for", "999999999999h", AdminHandler.MAX_MAINTENANCE_MS, "24h"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status).isEqualTo(400))
                .hasMessageContaining("for='999999999999h'").hasMessageContaining("24h");
        assertThatThrownBy(() -> Durations.parseMillis("for", "1441m", AdminHandler.MAX_MAINTENANCE_MS, "24h")).isInstanceOf(ApiException.class);
    }
}
