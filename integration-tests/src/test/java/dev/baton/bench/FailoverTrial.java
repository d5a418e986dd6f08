package dev.baton.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One trial of the {@link FailoverBenchmark}: the fault, the leaders before and after, and what was
 * measured. Times in ms, NaN when not measured. Filled in by the benchmark's thread only.
 */
final class FailoverTrial {

    /** The fault a trial injects on the ACTIVE. */
    enum Kind {
        CRASH, HANG, PARTITION, SIGTERM, TRANSFER;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    Kind kind;
    int index;
    /** Whether the background load ran through this trial ({@link BackgroundLoad}). */
    boolean loaded;
    /** The background load around the fault; null for an idle trial. */
    LoadFigures load;
    /** Background-load writes given up during this trial (unanswered until the pause after it). */
    long loadGivenUp;
    String oldLeader;
    long oldTerm;
    String newLeader;
    long newTerm;
    long faultNanos;
    long endNanos;
    double unavailableMs = Double.NaN;
    double newActiveWatchMs = Double.NaN;
    double newActiveLogMs = Double.NaN;
    /**
     * How long injecting the fault took on the benchmark's side: spawning {@code kill -9} and seeing the
     * process exit (crash), spawning {@code kill -STOP} (hang). Part of every fault -> ... time, so a
     * loaded machine that is slow to spawn shows up here, not as slower failover.
     */
    double faultCallMs = Double.NaN;
    /** Fault to the first node logging CANDIDATE in a newer term: the detection part of a takeover (the rest is the vote). */
    double firstCandidateLogMs = Double.NaN;
    double oldFencedLogMs = Double.NaN;
    double maxAckGapMs = Double.NaN;
    String loadAverage;
    int staleAnswers;
    int probeAnswers;
    int overlaps;
    String error;
    String settledLeader;
    long settledTerm;
    final SortedSet<Long> activeTermsAfterFault = new TreeSet<>();

    FailoverTrial(Kind kind, int index, boolean loaded) {
        this.kind = kind;
        this.index = index;
        this.loaded = loaded;
    }

    /** {@code idle} or {@code loaded}. */
    String condition() {
        return loaded ? "loaded" : "idle";
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind.label());
        m.put("trial", index);
        m.put("condition", condition());
        m.put("oldLeader", oldLeader);
        m.put("oldTerm", oldTerm);
        m.put("newLeader", newLeader);
        m.put("newTerm", newTerm);
        m.put("settledLeader", settledLeader);
        m.put("settledTerm", settledTerm);
        m.put("activeTermsAfterFault", List.copyOf(activeTermsAfterFault));
        m.put("unavailableMs", Stats.round(unavailableMs));
        m.put("faultToNewActiveWatchMs", Stats.round(newActiveWatchMs));
        m.put("faultToNewActiveLogMs", Stats.round(newActiveLogMs));
        m.put("faultToFirstCandidateLogMs", Stats.round(firstCandidateLogMs));
        m.put("faultCallMs", Stats.round(faultCallMs));
        m.put("faultToOldFencedLogMs", Stats.round(oldFencedLogMs));
        m.put("maxAckGapMs", Stats.round(maxAckGapMs));
        m.put("staleAnswers", staleAnswers);
        m.put("probeAnswers", probeAnswers);
        m.put("overlappingActiveIntervals", overlaps);
        m.put("loadAverage", loadAverage);
        m.put("backgroundLoad", load == null ? null : load.json());
        m.put("backgroundLoadGivenUp", loaded ? loadGivenUp : null);
        m.put("error", error);
        return m;
    }

    /** The one-line summary printed after the trial. */
    String summary() {
        return String.format("[bench] %-9s %-6s #%-3d %s(t%d) -> %s(t%d): unavailable %6.0f ms, new ACTIVE watch %6.0f / log %6.0f ms,"
                        + " old fenced (log) %6.0f ms%s, stale %d/%d%s [load %s]",
                kind.label(), condition(), index, oldLeader, oldTerm, newLeader, newTerm,
                unavailableMs, newActiveWatchMs, newActiveLogMs, oldFencedLogMs,
                Double.isNaN(maxAckGapMs) ? "" : String.format(", max ack gap %.0f ms", maxAckGapMs),
                staleAnswers, probeAnswers,
                activeTermsAfterFault.size() > 1 ? ", EXTRA ELECTION: ACTIVE terms " + activeTermsAfterFault : "",
                loadAverage.split(" ")[0]);
    }

    /** The line printed once the background load's figures are in (loaded trials). */
    String loadSummary() {
        return String.format("[bench]   background load: %.0f writes/s in the %d s before the fault, %.0f/s from the fault"
                        + " to the trial's end; longest gap between its acks %.0f ms; %d write(s) given up",
                load.ratePerSecBeforeFault(), LoadFigures.BEFORE_MS / 1000, load.ratePerSecAfterFault(), load.longestGapMs(),
                loadGivenUp);
    }
}
