package dev.baton.bench;

import dev.baton.it.NodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a benchmark reads about a node process from outside it: resident memory from
 * {@code /proc/<pid>/status}, the size of its stored snapshot, and the snapshot timings its log
 * records ({@code dev.baton.node.raft.BatonRaft#takeSnapshot}). Linux only for the memory; a
 * figure that cannot be read is -1 (or empty).
 */
final class NodeFacts {

    /**
     * The lines BatonRaft logs after each snapshot: "took T ms: S ms on the Raft thread, ..." for
     * one written in the background, "took T ms on the Raft thread" for one taken there.
     */
    private static final Pattern SNAPSHOT_TOOK =
            Pattern.compile("snapshot at index (\\d+) took ([0-9.]+) ms(?:: ([0-9.]+) ms on the Raft thread)?");

    /**
     * One snapshot a node logged: the index it covers, how long it took, and for how much of that
     * the Raft thread (which appends and commits) was held.
     */
    record SnapshotTaken(long index, double millis, double raftThreadMillis) {}

    private NodeFacts() {}

    /** VmRSS of the running process, in bytes; -1 if it is not running or /proc cannot be read. */
    static long rssBytes(NodeProcess node) {
        if (!node.isAlive()) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(node.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024; // "VmRSS:   123456 kB"
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone meanwhile, or no /proc
        }
        return -1;
    }

    /** {@code <data-dir>/<id>.log/snapshot.crc} (ChecksummedLog's layout). */
    static Path snapshotFile(NodeProcess node) {
        return node.raftFile("snapshot.crc");
    }

    /** Size of the stored snapshot in bytes; -1 if the node has none. */
    static long snapshotBytes(NodeProcess node) {
        try {
            return Files.size(snapshotFile(node));
        } catch (IOException e) {
            return -1;
        }
    }

    /** Every snapshot the node's log records (across restarts, the log is appended), in order. */
    static List<SnapshotTaken> snapshots(NodeProcess node) {
        List<SnapshotTaken> out = new ArrayList<>();
        Matcher m = SNAPSHOT_TOOK.matcher(node.log());
        while (m.find()) {
            double took = Double.parseDouble(m.group(2));
            out.add(new SnapshotTaken(Long.parseLong(m.group(1)), took, m.group(3) == null ? took : Double.parseDouble(m.group(3))));
        }
        return out;
    }
}
