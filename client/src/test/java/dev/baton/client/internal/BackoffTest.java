package dev.baton.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = Backoff.DEFAULT; // 50 ms doubling, capped at 1 s

    @Test
    void firstRetryWaitsBetweenHalfAndFullInitialDelay() {
        assertThat(backoff.delay(0, () -> 0.0)).isEqualTo(Duration.ofMillis(25));
        assertThat(backoff.delay(0, () -> 0.999999)).isBetween(Duration.ofMillis(49), Duration.ofMillis(50));
    }

    @Test
    void doublesPerRetry() {
        assertThat(backoff.delay(1, () -> 0.0)).isEqualTo(Duration.ofMillis(50));
        assertThat(backoff.delay(2, () -> 0.0)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.delay(3, () -> 0.0)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void isCappedAtMaxEvenForHugeRetryCounts() {
        for (int retry : new int[] {5, 10, 63, 1000, Integer.MAX_VALUE}) {
            assertThat(backoff.delay(retry, () -> 0.0)).isEqualTo(Duration.ofMillis(500));
            assertThat(backoff.delay(retry, () -> 0.999999)).isLessThanOrEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void rejectsInvertedBounds() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
