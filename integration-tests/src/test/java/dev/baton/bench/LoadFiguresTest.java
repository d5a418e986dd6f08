package dev.baton.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The background load's figures around a fault. */
class LoadFiguresTest {

    private static final long MS = 1_000_000;
    private static final long FAULT = 10_000 * MS;

    @Test
    void ratesAndTheGapAcrossTheFault() {
        // every 10 ms for the 2 s before the fault, then nothing until 300 ms after it, then every 10 ms to 1300 ms
        long[] acks = new long[300];
        for (int i = 0; i < 200; i++) {
            acks[i] = FAULT - 2000 * MS + i * 10 * MS;
        }
        for (int i = 0; i < 100; i++) {
            acks[200 + i] = FAULT + 300 * MS + i * 10 * MS;
        }
        LoadFigures f = LoadFigures.of(acks, FAULT, FAULT + 1300 * MS);
        assertThat(f.ratePerSecBeforeFault()).isEqualTo(100.0);
        assertThat(f.acks()).isEqualTo(300);
        assertThat(f.longestGapMs()).isEqualTo(310.0); // last ack 10 ms before the fault, next 300 ms after it
        assertThat(f.ratePerSecAfterFault()).isEqualTo(100 / 1.3);
    }

    @Test
    void nothingAcknowledgedAfterTheFaultIsAGapToTheEnd() {
        LoadFigures f = LoadFigures.of(new long[] {FAULT - 100 * MS}, FAULT, FAULT + 900 * MS);
        assertThat(f.longestGapMs()).isEqualTo(1000.0);
        assertThat(f.ratePerSecAfterFault()).isZero();
    }

    @Test
    void acksOutsideTheWindowAreIgnored() {
        LoadFigures f = LoadFigures.of(new long[] {FAULT - 5000 * MS, FAULT + 2000 * MS}, FAULT, FAULT + 1000 * MS);
        assertThat(f.acks()).isZero();
        assertThat(f.longestGapMs()).isNaN();
    }
}
