package dev.baton.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * One background-load thread's writes, versioned so that the key space stays small over a long run
 * and the lost-write check is still exact: write {@code n} (0, 1, 2, ...) puts value {@code n} at
 * key {@code <prefix><n mod slots>}. The thread writes one at a time and retries a write with the
 * same value, so at the end each key must hold the newest acknowledged {@code n} of its slot or a
 * later one this thread attempted (acknowledged or not: a write whose answer was lost may still
 * have committed); anything else - absent, older, another slot's number, never attempted - is a
 * lost acknowledged write.
 *
 * <p>Pure; not thread-safe: its load thread owns it, others read it only after that thread stopped.
 */
final class VersionedSlots {

    private final String prefix;
    private final long[] newestAcked;
    private long attempted = -1;

    VersionedSlots(String prefix, int slots) {
        this.prefix = prefix;
        this.newestAcked = new long[slots];
        java.util.Arrays.fill(newestAcked, -1);
    }

    String prefix() {
        return prefix;
    }

    /** The number of the next write (also counted as attempted from now on). */
    long next() {
        return ++attempted;
    }

    String key(long n) {
        return prefix + String.format(Locale.ROOT, "%04d", n % newestAcked.length);
    }

    static String value(long n) {
        return Long.toString(n);
    }

    void acked(long n) {
        int slot = (int) (n % newestAcked.length);
        newestAcked[slot] = Math.max(newestAcked[slot], n);
    }

    /** Keys whose newest acknowledged write is neither present nor superseded; {@code actual}: key -> value. */
    List<String> missing(Map<String, String> actual) {
        List<String> missing = new ArrayList<>();
        for (int slot = 0; slot < newestAcked.length; slot++) {
            long acked = newestAcked[slot];
            if (acked < 0) {
                continue;
            }
            String key = key(acked);
            long found = parse(actual.get(key));
            if (found < acked || found > attempted || found % newestAcked.length != slot) {
                missing.add(key + "=" + acked + " (found " + actual.get(key) + ")");
            }
        }
        return missing;
    }

    private static long parse(String value) {
        try {
            return value == null ? -1 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
