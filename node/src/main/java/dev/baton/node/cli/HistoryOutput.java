package dev.baton.node.cli;

import dev.baton.client.wire.LeadershipTerm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Text forms of the leadership history for {@code baton history} and {@code baton watch --history}. Pure. */
final class HistoryOutput {

    private HistoryOutput() {}

    /** TERM LEADER CAUSE ACTIVE-AT ENDED GAP DURATION, oldest first; unknown values as "-". */
    static String table(List<LeadershipTerm> terms) {
        List<List<String>> rows = new ArrayList<>();
        for (LeadershipTerm t : terms) {
            rows.add(List.of(Long.toString(t.term()), t.leader(), t.cause(), iso(t.activeAtMs()), ended(t), ms(t.gapMs()),
                    duration(t)));
        }
        return Output.table(List.of("TERM", "LEADER", "CAUSE", "ACTIVE AT", "ENDED", "GAP", "DURATION"), rows);
    }

    /** One line for a term just seen: {@code term 7 leader n2 cause crash gap 184ms (previous n1)}. */
    static String eventLine(LeadershipTerm t) {
        return "term " + t.term() + " leader " + t.leader() + " cause " + t.cause() + " gap " + ms(t.gapMs())
                + (t.previousLeader() == null ? "" : " (previous " + t.previousLeader() + ")");
    }

    private static String ended(LeadershipTerm t) {
        String at = iso(t.endedAtMs());
        return t.endReason() == null || t.endedAtMs() == null ? at : at + " (" + t.endReason() + ")";
    }

    private static String duration(LeadershipTerm t) {
        if (t.activeAtMs() == null || t.endedAtMs() == null || t.endedAtMs() < t.activeAtMs()) {
            return "-";
        }
        return ms(t.endedAtMs() - t.activeAtMs());
    }

    static String iso(Long epochMs) {
        return epochMs == null ? "-" : Instant.ofEpochMilli(epochMs).toString();
    }

    static String ms(Long ms) {
        if (ms == null) {
            return "-";
        }
        if (ms < 10_000) {
            return ms + "ms";
        }
        long s = ms / 1000;
        return s < 3600 ? s / 60 + "m" + s % 60 + "s" : s / 3600 + "h" + s % 3600 / 60 + "m";
    }
}
