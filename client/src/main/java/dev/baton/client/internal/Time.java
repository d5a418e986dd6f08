package dev.baton.client.internal;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The clock and the waits the retry loop uses; injected so that tests run on a fake clock without
 * real waiting. Every wait of the call path goes through here, so a test decides when each answer
 * arrives.
 */
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

        @Override
        public boolean await(Future<?> future, Duration timeout) throws InterruptedException {
            try {
                future.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
                return true;
            } catch (ExecutionException | CancellationException e) {
                return true; // done, just not normally: the caller reads the outcome itself
            } catch (TimeoutException e) {
                return false;
            }
        }
    };

    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    void sleep(Duration duration) throws InterruptedException;

    /**
     * Waits until {@code future} is done (in any way) or {@code timeout} has passed, whichever is
     * first; does not cancel it.
     *
     * @return whether {@code future} is done
     */
    boolean await(Future<?> future, Duration timeout) throws InterruptedException;
}
