package dev.baton.client.internal;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "equal jitter": retry n waits a random time in [cap/2, cap] where
 * cap = min(max, initial * 2^n). Spreads clients that failed together without ever retrying at
 * once. Immutable; the randomness is an argument so tests are deterministic.
 */
public record Backoff(Duration initial, Duration max) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1));

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + ", " + max);
        }
    }

    /** Delay before retry number {@code retry} (0-based); {@code random} yields values in [0, 1). */
    public Duration delay(int retry, DoubleSupplier random) {
        long initialNanos = initial.toNanos();
        long maxNanos = max.toNanos();
        int shift = Math.min(Math.max(retry, 0), 62);
        long cap = initialNanos > (maxNanos >> shift) ? maxNanos : Math.min(maxNanos, initialNanos << shift);
        long half = cap / 2;
        return Duration.ofNanos(half + (long) (random.getAsDouble() * (cap - half)));
    }
}
