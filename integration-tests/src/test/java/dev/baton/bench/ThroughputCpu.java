package dev.baton.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of processes from {@code /proc/<pid>/stat} (user + system, all threads), to report how
 * the benchmark client and the nodes share the machine's cores. Linux only; elsewhere every
 * reading is -1.
 */
final class ThroughputCpu {

    /** Clock ticks per second of /proc accounting; 100 on every mainstream Linux build. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ThroughputCpu() {}

    /** CPU seconds used so far by each named process (-1 if unreadable). */
    static Map<String, Double> sample(Map<String, Long> pids) {
        Map<String, Double> out = new LinkedHashMap<>();
        pids.forEach((name, pid) -> out.put(name, cpuSeconds(pid)));
        return out;
    }

    /** Per process: the share of one core used between two samples taken {@code seconds} apart (1.0 = one full core). */
    static Map<String, Double> cores(Map<String, Double> before, Map<String, Double> after, double seconds) {
        Map<String, Double> out = new LinkedHashMap<>();
        before.forEach((name, b) -> {
            Double a = after.get(name);
            out.put(name, a == null || a < 0 || b < 0 ? -1.0 : (a - b) / seconds);
        });
        return out;
    }

    /** Cores in use by the whole machine (all processes) between two samples of {@link #machineTicks()}. */
    static double machineCores(long[] before, long[] after, double seconds) {
        if (before == null || after == null) {
            return -1;
        }
        return (after[0] - before[0]) / TICKS_PER_SECOND / seconds;
    }

    /** {busy ticks} of the whole machine from /proc/stat (null if unreadable). */
    static long[] machineTicks() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return new long[] {busy};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name, which may contain spaces: state is field 3, utime 14, stime 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
