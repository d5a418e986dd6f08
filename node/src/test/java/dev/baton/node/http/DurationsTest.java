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
}
