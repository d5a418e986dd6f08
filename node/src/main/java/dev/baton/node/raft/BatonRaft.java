package dev.baton.node.raft;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.raft.RAFT;

/**
 * jgroups-raft's RAFT with one change: lagging followers are caught up under load too.
 *
 * <p>In 1.1.4 the leader resends missing entries to a follower only when its request queue has
 * been idle for {@code resend_interval}; under a steady stream of writes that never happens, and
 * a restarted follower stays behind for as long as the writes go on (seen in a test: a standby
 * 400 entries behind for over 60 s). After each batch the runner thread (the only thread that
 * touches the log) now also sends, at most every {@code resend_interval}, the missing entries to
 * each follower whose match index is below the commit index.
 */
public class BatonRaft extends RAFT {

    static final short PROTOCOL_ID = 4302;

    static {
        ClassConfigurator.addProtocol(PROTOCOL_ID, BatonRaft.class);
    }

    /** Bounds one catch-up message (entries are sent in one message, fragmented by FRAG4). */
    static final int MAX_ENTRIES_PER_SWEEP = 5_000;

    private long lastSweepNanos = System.nanoTime();

    @Override
    protected void process(List<Request> q) {
        try {
            super.process(q);
        } finally {
            sweepLaggingFollowers();
        }
    }

    private void sweepLaggingFollowers() {
        long now = System.nanoTime();
        if (now - lastSweepNanos < TimeUnit.MILLISECONDS.toNanos(resendInterval()) || commit_table == null || !isLeader()) {
            return;
        }
        lastSweepNanos = now;
        long committed = commit_index;
        long last = last_appended;
        commit_table.forEach((member, entry) -> {
            if (entry.matchIndex() >= committed) {
                return;
            }
            long next = Math.max(entry.nextIndex(), 1);
            if (next < log().firstAppended() || next > last) {
                sendAppendEntriesMessage(member, entry); // needs a snapshot, or nothing to resend
                return;
            }
            // a range, not RAFT's single-entry probe: the live stream keeps failing on a lagging
            // follower and would otherwise keep it in single-entry mode (one entry per sweep)
            resend(member, next, Math.min(last, next + MAX_ENTRIES_PER_SWEEP - 1));
        });
    }
}
