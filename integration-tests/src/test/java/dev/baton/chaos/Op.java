package dev.baton.chaos;

/**
 * One client operation of a chaos history: its invocation, its completion and what it returned.
 * Times are {@link System#nanoTime()} of the test JVM (the same clock as the nodes' role logs).
 *
 * <ul>
 *   <li>{@code READ} ok: {@code readValue} (null = key absent) and its {@code revision} (0 if absent).
 *   <li>{@code PUT} ok: the write's {@code revision}.
 *   <li>{@code CAS} ok: the write's {@code revision}; fail with {@code revision >= 0}: a revision
 *       mismatch, {@code revision} = the key's current revision the node reported.
 *   <li>{@code FAIL} of a write with {@code revision < 0}: definitely not applied (no leader).
 *   <li>{@code UNKNOWN}: a write that may or may not have been applied (any time after its
 *       invocation); {@code completeNanos} is when the client gave up.
 * </ul>
 */
public record Op(
        int id,
        String process,
        String key,
        Kind kind,
        Outcome outcome,
        String value,
        long expectedRevision,
        String readValue,
        long revision,
        long invokeNanos,
        long completeNanos) {

    public enum Kind { READ, PUT, CAS }

    public enum Outcome { OK, FAIL, UNKNOWN }

    public boolean isWrite() {
        return kind != Kind.READ;
    }

    /** Must the checker linearize this op (it certainly took effect or observed the state)? */
    boolean required() {
        return outcome == Outcome.OK || (outcome == Outcome.FAIL && kind == Kind.CAS && revision >= 0);
    }

    /** Is this op irrelevant to the state (a failed read, a write that was definitely not applied)? */
    boolean irrelevant() {
        return outcome == Outcome.FAIL && !required();
    }

    // ---- builders used by tests and the workload ----

    public static Op read(int id, String process, String key, String value, long revision, long invoke, long complete) {
        return new Op(id, process, key, Kind.READ, Outcome.OK, null, -1, value, value == null ? 0 : revision, invoke, complete);
    }

    public static Op put(int id, String process, String key, String value, Outcome outcome, long revision, long invoke,
            long complete) {
        return new Op(id, process, key, Kind.PUT, outcome, value, -1, null, revision, invoke, complete);
    }

    public static Op cas(int id, String process, String key, long expected, String value, Outcome outcome, long revision,
            long invoke, long complete) {
        return new Op(id, process, key, Kind.CAS, outcome, value, expected, null, revision, invoke, complete);
    }

    /** One tab-separated line (see {@link #parse}); nulls as {@code \N}. */
    public String toLine() {
        return String.join("\t", Integer.toString(id), process, key, kind.name(), outcome.name(), str(value),
                Long.toString(expectedRevision), str(readValue), Long.toString(revision), Long.toString(invokeNanos),
                Long.toString(completeNanos));
    }

    public static Op parse(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 11) {
            throw new IllegalArgumentException("not a history line: " + line);
        }
        return new Op(Integer.parseInt(f[0]), f[1], f[2], Kind.valueOf(f[3]), Outcome.valueOf(f[4]), nul(f[5]),
                Long.parseLong(f[6]), nul(f[7]), Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]));
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case READ -> "read -> " + (outcome == Outcome.OK ? readValue + "@" + revision : outcome);
            case PUT -> "put " + value + " -> " + (outcome == Outcome.OK ? "rev " + revision : outcome);
            case CAS -> "cas @" + expectedRevision + " " + value + " -> "
                    + (outcome == Outcome.OK ? "rev " + revision
                            : outcome == Outcome.FAIL && revision >= 0 ? "mismatch (current " + revision + ")" : outcome);
        };
        return "#" + id + " " + process + " " + key + " " + what + " [" + invokeNanos + ", "
                + (outcome == Outcome.UNKNOWN ? "?" : Long.toString(completeNanos)) + "]";
    }

    private static String str(String s) {
        return s == null ? "\\N" : s;
    }

    private static String nul(String s) {
        return "\\N".equals(s) ? null : s;
    }
}
