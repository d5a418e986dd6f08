package dev.baton.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which fault kinds a chaos run can inject here, and what to make of a kind that did not run. A
 * run that silently leaves out the partition or disk faults proves much less than one that injects them,
 * so a missing kind is never silent: under {@code CI=true} it is a violation (and a run that
 * cannot inject a kind at all fails before it starts); elsewhere it is printed and reported to
 * JUnit as an aborted (skipped) part. Pure, apart from {@link #requiredHere()}.
 *
 * @param unavailable the kinds this machine cannot inject, with the reason
 * @param required every kind must run ({@code CI=true})
 */
public record FaultCoverage(Map<Fault.Kind, String> unavailable, boolean required) {

    static final List<Fault.Kind> PARTITION_KINDS = List.of(Fault.Kind.ISOLATE_ACTIVE, Fault.Kind.SPLIT, Fault.Kind.BRIDGE);
    static final List<Fault.Kind> DISK_KINDS =
            List.of(Fault.Kind.DISK_FULL, Fault.Kind.LOG_UNWRITABLE, Fault.Kind.CORRUPT_STOPPED);

    public FaultCoverage {
        Map<Fault.Kind, String> ordered = new EnumMap<>(Fault.Kind.class);
        ordered.putAll(unavailable);
        unavailable = java.util.Collections.unmodifiableMap(ordered);
    }

    /**
     * Coverage on this machine: {@code partitionsUnavailable} from {@code
     * NetworkPartition.unavailableReason()}, {@code disksUnavailable} from {@code
     * DiskFaults.unavailableReason()} (null: available).
     */
    public static FaultCoverage of(String partitionsUnavailable, String disksUnavailable, boolean required) {
        Map<Fault.Kind, String> unavailable = new EnumMap<>(Fault.Kind.class);
        if (partitionsUnavailable != null) {
            PARTITION_KINDS.forEach(k -> unavailable.put(k, partitionsUnavailable));
        }
        if (disksUnavailable != null) {
            DISK_KINDS.forEach(k -> unavailable.put(k, disksUnavailable));
        }
        return new FaultCoverage(unavailable, required);
    }

    /** True when the environment variable {@code CI} is {@code true}, as CI services set it. */
    public static boolean requiredHere() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The kinds the nemesis may draw, in declaration order. */
    public List<Fault.Kind> available() {
        return Arrays.stream(Fault.Kind.values()).filter(k -> !unavailable.containsKey(k)).toList();
    }

    /** Null if the run may start; else why not (a required kind cannot be injected here). */
    public String refusal() {
        if (!required || unavailable.isEmpty()) {
            return null;
        }
        return "CI=true needs every fault kind, but " + unavailable.keySet() + " cannot run here: "
                + String.join("; ", new java.util.LinkedHashSet<>(unavailable.values()))
                + " (run as root with iptables, mount and chattr installed, or unset CI to run without them)";
    }

    /** The kinds that were not injected in a run, each with why, in declaration order. */
    public Map<Fault.Kind, String> missing(Map<Fault.Kind, Integer> injected) {
        int total = injected.values().stream().mapToInt(Integer::intValue).sum();
        Map<Fault.Kind, String> missing = new EnumMap<>(Fault.Kind.class);
        for (Fault.Kind k : Fault.Kind.values()) {
            if (injected.getOrDefault(k, 0) > 0) {
                continue;
            }
            String reason = unavailable.get(k);
            missing.put(k, reason != null ? "cannot run here: " + reason
                    : "not drawn in " + total + " faults (the run was too short)");
        }
        return missing;
    }

    /** Under {@link #required()}: one violation per missing kind; otherwise none (they are reported). */
    public List<Violation> violations(Map<Fault.Kind, Integer> injected) {
        List<Violation> out = new ArrayList<>();
        if (required) {
            missing(injected).forEach((k, why) -> out.add(new Violation("fault-coverage",
                    "fault kind " + k + " was never injected (CI=true requires every kind): " + why, "")));
        }
        return out;
    }
}
