package dev.baton.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * Checker: a node that cannot persist is never reported healthy. Defined on what can be observed
 * from outside, since a node turns UNHEALTHY only once a write really fails (a fault window can
 * pass without one): the node's own log says when its storage failed ({@value #FAULT_LINE}, from
 * {@code StorageHealth}) and when it worked again ({@value #RECOVERED_LINE}). A sample taken
 * between the two, i.e. sent after the fault line was in the log file and answered before the
 * recovery line was, must say role UNHEALTHY, health not ok, and {@code /health/standby} not 200.
 *
 * <p>The node logs the fault just before it publishes it, and its role thread publishes the role
 * a moment later; so a sample counts only if it was sent at least {@code grace} after the fault
 * line was first seen in the file (seen, not written: the margin is never shorter than that).
 * Pure.
 */
public final class SickNodeChecker {

    static final String FAULT_LINE = "storage fault, this node is UNHEALTHY";
    static final String RECOVERED_LINE = "storage recovered:";

    /** What the samples of one disk fault showed: {@code sick} samples fell in a window between a fault and its recovery. */
    public record Result(List<Violation> violations, int windows, int sick) {}

    /** The samples of one disk fault: node, fault number, the log's length when the fault began. */
    public record Watch(int fault, String node, long logStart, List<HealthSample> samples) {}

    private SickNodeChecker() {}

    /**
     * @param log the node's whole log file, decoded one char per byte (ISO-8859-1), so that indexes are file offsets
     */
    public static Result check(Watch w, String log, long graceNanos) {
        List<Violation> violations = new ArrayList<>();
        int windows = 0;
        int sick = 0;
        for (int at = log.indexOf(FAULT_LINE, (int) w.logStart()); at >= 0; at = log.indexOf(FAULT_LINE, at + 1)) {
            int nl = log.indexOf('\n', at);
            long faultLogged = nl < 0 ? log.length() : nl + 1;
            int rec = log.indexOf(RECOVERED_LINE, (int) faultLogged);
            long recoveryLogged = rec < 0 ? Long.MAX_VALUE : rec;
            long seen = Long.MAX_VALUE;
            for (HealthSample s : w.samples()) {
                if (s.logBytesBefore() >= faultLogged) {
                    seen = Math.min(seen, s.sentNanos());
                }
            }
            if (seen == Long.MAX_VALUE) {
                continue;
            }
            windows++;
            for (HealthSample s : w.samples()) {
                if (s.sentNanos() - seen < graceNanos || s.logBytesAfter() > recoveryLogged || s.role() == null) {
                    continue;
                }
                sick++;
                if (s.claimsHealthy()) {
                    violations.add(new Violation("sick-node-healthy", w.node() + " reported healthy during fault "
                            + w.fault() + " after logging a storage fault and before logging its recovery", s + "\nfault line: "
                            + line(log, at) + (rec < 0 ? "" : "\nrecovery line: " + line(log, rec))));
                }
            }
        }
        return new Result(violations, windows, sick);
    }

    private static String line(String log, int at) {
        int nl = log.indexOf('\n', at);
        int start = log.lastIndexOf('\n', at) + 1;
        String l = log.substring(start, nl < 0 ? log.length() : nl);
        return l.length() > 300 ? l.substring(0, 300) + "..." : l;
    }
}
