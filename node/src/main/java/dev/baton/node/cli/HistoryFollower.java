package dev.baton.node.cli;

import dev.baton.client.BatonClient;
import dev.baton.client.BatonException;
import dev.baton.client.wire.LeadershipHistory;
import dev.baton.client.wire.LeadershipTerm;
import java.io.PrintWriter;
import java.util.Map;

/**
 * For {@code baton watch --history}: after a leader event, prints the history's terms not printed
 * yet. The answering node may not have applied the new term's first entry yet, so it asks again a
 * few times, briefly, until the event's term is there. Owned by the watch command's thread.
 */
final class HistoryFollower {

    private static final int TRIES = 5;
    private static final long RETRY_MS = 100;

    private final BatonClient client;
    private long printedUpTo = -1; // -1: nothing yet; the first look prints only the current term

    HistoryFollower(BatonClient client) {
        this.client = client;
    }

    void printUpTo(long term, PrintWriter out, boolean json) throws InterruptedException {
        for (int i = 0; i < TRIES; i++) {
            LeadershipHistory h;
            try {
                h = client.history(printedUpTo < 0 ? 1 : 100);
            } catch (BatonException e) {
                out.println(json ? Output.json(Map.of("event", "history_error", "message", String.valueOf(e.getMessage())))
                        : "history unavailable: " + e.getMessage());
                return;
            }
            long newest = -1;
            for (LeadershipTerm t : h.terms()) {
                newest = Math.max(newest, t.term());
                if (t.term() > printedUpTo) {
                    out.println(json ? Output.json(Map.of("event", "history", "term", t)) : "history " + HistoryOutput.eventLine(t));
                    printedUpTo = t.term();
                }
            }
            if (newest >= term) {
                return;
            }
            Thread.sleep(RETRY_MS);
        }
    }
}
