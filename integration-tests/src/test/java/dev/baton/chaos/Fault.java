package dev.baton.chaos;

import dev.baton.it.RoleLog;
import java.util.List;

/**
 * One fault the nemesis injected: its kind, the nodes it hit, when it started and when it was
 * healed ({@link System#nanoTime()}), and a short description for the report.
 */
public record Fault(int number, Kind kind, List<String> nodes, long startNanos, long healNanos, String description) {

    /**
     * The process faults, the partitions (iptables), and the disk faults (root: tmpfs, chattr):
     * {@code DISK_FULL} a node's tmpfs data dir shrunk to what it uses, {@code LOG_UNWRITABLE} its
     * log file immutable, {@code CORRUPT_STOPPED} bytes flipped in a stopped follower's log, then a
     * refused start and a start with {@code --repair-log}; {@code REPLACE_MEMBER} a member (the
     * active too) removed from the membership, its data wiped and added back with {@code --join}
     * (see {@link MemberReplacement}).
     */
    public enum Kind { KILL, PAUSE, TERMINATE, ISOLATE_ACTIVE, SPLIT, BRIDGE, DISK_FULL, LOG_UNWRITABLE, CORRUPT_STOPPED,
        REPLACE_MEMBER }

    /**
     * Checker (4): after each fault heals, some node is ACTIVE within {@code boundNanos}. Returns
     * the delay, or -1 if none was ACTIVE by the end of the intervals.
     */
    public long activeDelay(List<RoleLog.Interval> intervals) {
        long t = RoleLog.firstActiveAtOrAfter(intervals, healNanos);
        return t < 0 ? -1 : t - healNanos;
    }

    @Override
    public String toString() {
        return "fault " + number + " " + kind + " " + nodes + " (" + description + ")";
    }
}
