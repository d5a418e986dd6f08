package dev.baton.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The pacer's schedule: even spacing, no burst after a stall, a fresh start after reset. */
class WritePacerTest {

    private static final long MS = 1_000_000;

    @Test
    void claimsAreSpacedByTheIntervalEvenWhenAskedAtOnce() {
        WritePacer p = new WritePacer(1000); // 1 ms apart
        assertThat(p.claim(100 * MS)).isEqualTo(100 * MS);
        assertThat(p.claim(100 * MS)).isEqualTo(101 * MS);
        assertThat(p.claim(100 * MS)).isEqualTo(102 * MS);
    }

    @Test
    void slotsMissedDuringAStallAreDroppedNotBurst() {
        WritePacer p = new WritePacer(1000);
        p.claim(0);
        assertThat(p.claim(500 * MS)).isEqualTo(500 * MS);
        assertThat(p.claim(500 * MS)).isEqualTo(501 * MS);
    }

    @Test
    void resetStartsANewScheduleAtTheNextClaim() {
        WritePacer p = new WritePacer(10); // 100 ms apart
        p.claim(0);
        p.claim(0);
        p.claim(0); // next would be 300 ms
        p.reset();
        assertThat(p.claim(5 * MS)).isEqualTo(5 * MS);
    }

    @Test
    void aRateOfZeroIsRefused() {
        assertThatThrownBy(() -> new WritePacer(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
