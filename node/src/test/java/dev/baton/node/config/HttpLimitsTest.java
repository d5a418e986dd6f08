package dev.baton.node.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HttpLimitsTest {

    @Test
    void eachBadValueNamesItsOption() {
        assertThatThrownBy(() -> new HttpLimits(50, 30_000, 60_000, 1024, 256)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--http-header-timeout-ms: ");
        assertThatThrownBy(() -> new HttpLimits(10_000, 0, 60_000, 1024, 256)).hasMessageStartingWith("--http-body-timeout-ms: ");
        assertThatThrownBy(() -> new HttpLimits(10_000, 30_000, 7_200_000, 1024, 256)).hasMessageStartingWith("--http-idle-timeout-ms: ");
        assertThatThrownBy(() -> new HttpLimits(10_000, 30_000, 60_000, 0, 1)).hasMessageStartingWith("--http-max-connections: ");
        assertThatThrownBy(() -> new HttpLimits(10_000, 30_000, 60_000, 10, 11)).hasMessageStartingWith("--http-max-connections-per-client: ");
    }
}
