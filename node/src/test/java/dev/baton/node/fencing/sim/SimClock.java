package dev.baton.node.fencing.sim;

/**
 * One node's monotonic clock ({@code System.nanoTime()} of its process) as a function of true
 * simulated time: an arbitrary origin (possibly close to {@code Long.MAX_VALUE}, so that every
 * comparison in the core must survive wrap-around) and a constant rate error of {@code ppm} parts
 * per million. The clock keeps running while the process is paused, as a real one does: the process
 * sees it jump when it resumes.
 */
final class SimClock {

    private static final long MILLION = 1_000_000;

    private final long origin;
    private final long ppm;

    SimClock(long origin, long ppm) {
        if (ppm <= -MILLION) {
            throw new IllegalArgumentException("a clock must run forward: " + ppm + " ppm");
        }
        this.origin = origin;
        this.ppm = ppm;
    }

    /** The local reading at true time {@code trueNanos} (>= 0). */
    long localAt(long trueNanos) {
        return origin + trueNanos + Math.floorDiv(trueNanos * ppm, MILLION); // wraps like nanoTime may
    }

    /** The earliest true time (>= 0) at which this clock reads {@code local} or later. */
    long trueAt(long local) {
        long elapsed = local - origin; // wrap-safe difference
        long t = Math.max(0, Math.floorDiv(elapsed * MILLION, MILLION + ppm));
        while (localAt(t) - local < 0) {
            t++;
        }
        while (t > 0 && localAt(t - 1) - local >= 0) {
            t--;
        }
        return t;
    }

    long ppm() {
        return ppm;
    }

    @Override
    public String toString() {
        return (ppm >= 0 ? "+" : "") + ppm + "ppm";
    }
}
