package dev.baton.client.internal;

import java.time.Duration;

/** The clock and sleep the retry loop uses; injected so tests run without real waiting. */
public interface Time {

    Time SYSTEM = new Time() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        }
    };

    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    void sleep(Duration duration) throws InterruptedException;
}
