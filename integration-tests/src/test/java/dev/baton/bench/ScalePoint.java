package dev.baton.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cost of one key count in the scale benchmark ({@link ScaleBenchmark}). A figure that could
 * not be measured is null (printed as {@code -}), and {@code notes} says why.
 *
 * @param keys distinct keys loaded (16-byte keys, 64-byte values)
 * @param loadOpsPerSec raw-HTTP writes per second while loading them (64 in flight)
 * @param writeOpsPerSec writes per second in the measuring window (64 in flight, distinct keys)
 * @param writeP999Ms the window's p99.9 and {@code writeMaxMs} its slowest write: a snapshot that
 *     holds the Raft thread shows here (it is rare enough to stay out of the p99)
 * @param rssBytes VmRSS of each node after the window, by node id
 * @param snapshotBytes size of the ACTIVE's {@code snapshot.crc} after the window
 * @param snapshotMs how long the ACTIVE's last snapshot took (from its log)
 * @param snapshotStallMs for how much of that its Raft thread, which appends and commits, was held
 * @param snapshotsTaken snapshots all nodes logged during load and window
 * @param restartActiveMs from starting all stopped nodes to the first ACTIVE seen (polled)
 * @param restartMs from starting all stopped nodes to the first write an ACTIVE acknowledged
 * @param catchUpMs from starting a follower with an empty data dir to its appliedIndex reaching
 *     the leader's commitIndex of that moment
 * @param catchUpIndex that commitIndex
 */
record ScalePoint(int keys, Double loadOpsPerSec, Double writeOpsPerSec, Double writeP50Ms, Double writeP99Ms,
        Double writeP999Ms, Double writeMaxMs,
        Long writeErrors, Map<String, Long> rssBytes, Long snapshotBytes, Double snapshotMs, Double snapshotStallMs, Integer snapshotsTaken,
        Double restartActiveMs, Double restartMs, Double catchUpMs, Long catchUpIndex, List<String> notes) {

    static String header() {
        return String.format(Locale.ROOT, "%9s %10s %11s %8s %8s %8s %8s %12s %9s %9s %10s %10s %10s",
                "KEYS", "LOAD OPS/S", "WRITE OPS/S", "P99 MS", "P99.9 MS", "MAX MS", "ERRORS", "RSS MB(max)", "SNAP MB", "SNAP MS", "STALL MS",
                "RESTART MS", "CATCHUP MS");
    }

    String row() {
        Long rss = rssBytes == null ? null : rssBytes.values().stream().max(Long::compare).filter(b -> b >= 0).orElse(null);
        return String.format(Locale.ROOT, "%9d %10s %11s %8s %8s %8s %8s %12s %9s %9s %10s %10s %10s", keys,
                fmt(loadOpsPerSec, 0), fmt(writeOpsPerSec, 0), fmt(writeP99Ms, 1), fmt(writeP999Ms, 1), fmt(writeMaxMs, 1), writeErrors == null ? "-" : writeErrors.toString(),
                rss == null ? "-" : fmt(rss / 1048576.0, 0), snapshotBytes == null ? "-" : fmt(snapshotBytes / 1048576.0, 2),
                fmt(snapshotMs, 1), fmt(snapshotStallMs, 1), fmt(restartMs, 0), fmt(catchUpMs, 0));
    }

    static String table(List<ScalePoint> points) {
        StringBuilder sb = new StringBuilder(header()).append('\n');
        for (ScalePoint p : points) {
            sb.append(p.row()).append('\n');
            p.notes().forEach(n -> sb.append("          ").append(p.keys()).append(": ").append(n).append('\n'));
        }
        return sb.toString();
    }

    private static String fmt(Double d, int decimals) {
        return d == null || d.isNaN() ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", d);
    }
}
