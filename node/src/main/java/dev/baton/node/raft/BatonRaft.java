package dev.baton.node.raft;

import dev.baton.node.Consensus;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.annotations.Property;
import org.jgroups.Message;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.raft.AppendEntriesRequest;
import org.jgroups.protocols.raft.AppendEntriesResponse;
import org.jgroups.protocols.raft.LogEntries;
import org.jgroups.protocols.raft.LogEntry;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.protocols.raft.RaftHeader;
import org.jgroups.raft.util.CommitTable;
import org.jgroups.util.ByteArrayDataOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jgroups-raft's RAFT with two changes: lagging followers are caught up under load too, and at
 * once when they answer that they miss entries.
 *
 * <p>In 1.1.4 the leader resends missing entries to a follower only when its request queue has
 * been idle for {@code resend_interval}; under a steady stream of writes that never happens, and
 * a restarted follower stays behind for as long as the writes go on (seen in a test: a standby
 * 400 entries behind for over 60 s). After each batch the runner thread (the only thread that
 * touches the log) now also sends, at most every {@code resend_interval}, the missing entries to
 * each follower whose match index is below the commit index.
 *
 * <p>In 1.1.4 a leader that gets a failed AppendEntries answer (the follower misses the previous
 * entry, or holds a conflicting one) only lowers that follower's next index; the missing entries go
 * out when the resend timer fires, i.e. after {@code resend_interval} without requests, and one
 * entry at a time after a failure (probe, then the rest on the next firing). A new leader whose
 * log is one entry ahead of the other survivor (common after a partition: the old leader kept
 * committing with the last follower it could still reach) thus waited 2 x 200 ms before its no-op
 * committed and it could become ACTIVE. Now the runner thread sends the follow-up at once: on a
 * failed answer the probe, on the answer to a probe the rest (see {@link #handleUpRequest}). Only
 * the timing of resends changes, never what is sent, so Raft's safety is untouched.
 *
 * <p>Snapshots are written in the background ({@link #snapshotIfNeeded}, {@link
 * BackgroundSnapshot}), and each is logged with how long it took, which RAFT does not. Backups
 * ({@link #exportState}) are captured on the runner thread between two batches, through the same
 * background writer.
 */
public class BatonRaft extends RAFT {

    static final short PROTOCOL_ID = 4302;

    static {
        ClassConfigurator.addProtocol(PROTOCOL_ID, BatonRaft.class);
    }

    /** Bounds one catch-up message (entries are sent in one message, fragmented by FRAG4). */
    static final int MAX_ENTRIES_PER_SWEEP = 5_000;

    /** Baton's own logger; RAFT's {@code log} field is JGroups' and goes elsewhere. */
    private static final Logger batonLog = LoggerFactory.getLogger(BatonRaft.class);

    private long lastSweepNanos = System.nanoTime();

    /** Writes snapshots off the runner thread; null with another log or state machine (RAFT's own snapshots then). */
    private volatile BackgroundSnapshot background; // set after RAFT has started its runner thread

    /** The log and the state machine are set once RAFT has started (it opens the log in {@code start}). */
    @Override
    public void start() throws Exception {
        super.start();
        if (log_impl instanceof ChecksummedLog store && state_machine instanceof ReplicatedKv kv) {
            background = new BackgroundSnapshot(store, kv);
        }
    }

    /**
     * RAFT's threshold check, but the snapshot is written in the background ({@link
     * BackgroundSnapshot}): the runner thread only captures the state, so writes go on while a
     * large state is serialised and forced. While one is being written the next waits.
     */
    @Override
    protected void snapshotIfNeeded(int bytesAdded) {
        BackgroundSnapshot bg = background;
        if (bg == null) {
            super.snapshotIfNeeded(bytesAdded);
            return;
        }
        bg.finishIfDone();
        curr_log_size += bytesAdded;
        long index = commit_index;
        if (curr_log_size < max_log_size || bg.running() || index < 1) {
            return;
        }
        try {
            LogEntry last = log_impl.get(index);
            ByteArrayDataOutputStream state = new ByteArrayDataOutputStream(128, true);
            internal_state.writeTo(state);
            bg.start(index, last == null ? 0 : last.term(), Arrays.copyOf(state.buffer(), state.position()));
            num_snapshots++;
            curr_log_size = 0;
        } catch (Exception e) {
            batonLog.error("starting the snapshot at index {} failed; retried at the next append", index, e);
        }
    }

    /**
     * RAFT's snapshot on the runner thread, as RAFT takes it before it sends a snapshot to a
     * follower too far behind (and on the JMX operation): it waits for a background one first, then
     * is timed, because for that long no entry is appended ("snapshot at index N took M ms").
     */
    @Override
    protected void takeSnapshot() throws Exception {
        long start = System.nanoTime();
        BackgroundSnapshot bg = background;
        if (bg != null) {
            bg.await();
        }
        super.takeSnapshot();
        batonLog.info("snapshot at index {} took {} ms on the Raft thread", commit_index,
                String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e6));
    }

    @Override
    public void stop() {
        if (background != null) {
            background.close(); // before RAFT closes the log under it
        }
        for (CompletableFuture<Consensus.StateExport> f; (f = exports.poll()) != null; ) {
            f.completeExceptionally(new IllegalStateException("the node is stopping"));
        }
        super.stop();
    }

    /** The commit table and view last compared (runner thread only). */
    private CommitTable checkedTable;
    private org.jgroups.View checkedView;

    /**
     * Runs on RAFT's runner thread before each wait for requests (at least every resend interval),
     * so the check below needs no traffic to run.
     */
    @Override
    protected void processQueue() {
        addViewMembersMissingFromCommitTable();
        if (background != null) {
            background.finishIfDone(); // a backup written while no request came in
        }
        startExports();
        super.processQueue();
    }

    /** Backups asked for and not yet captured (any thread adds, the runner thread takes). */
    private final Queue<CompletableFuture<Consensus.StateExport>> exports = new ConcurrentLinkedQueue<>();

    /**
     * The state machine's content as of the commit index when the runner thread next gets to it
     * (at the latest one {@code resend_interval} from now): at or after every entry applied before
     * this call. See {@link BackgroundSnapshot#startExport}.
     */
    CompletableFuture<Consensus.StateExport> exportState() {
        CompletableFuture<Consensus.StateExport> f = new CompletableFuture<>();
        if (background == null) {
            f.completeExceptionally(new IllegalStateException("no background snapshots with this log or state machine"));
        } else {
            exports.add(f);
        }
        return f;
    }

    /**
     * Runner thread, between two batches: there RAFT's commit index is the state machine's
     * applied index (RAFT advances it after applying), so the capture is the state at that
     * index, and its term is the entry's. Waits while a log snapshot holds the one capture slot.
     */
    private void startExports() {
        BackgroundSnapshot bg = background;
        if (bg == null || exports.isEmpty() || bg.running()) {
            return;
        }
        CompletableFuture<Consensus.StateExport> f = exports.poll();
        long index = commit_index;
        try {
            LogEntry entry = index < 1 ? null : log_impl.get(index);
            if (entry == null) {
                throw new IllegalStateException("no committed log entry at index " + index + " to take a backup at");
            }
            bg.startExport(index, entry.term(), f);
        } catch (Exception e) {
            f.completeExceptionally(e);
        }
    }

    /**
     * jgroups-raft 1.1.4 builds the leader's commit table from the view when it becomes leader, and
     * {@code handleView} adjusts the table only once it exists: a member whose join view arrives
     * between the two is never added, and the leader sends it nothing until the next view change.
     * Seen in CI: a third node that joined just as the first leader was elected stayed at applied
     * index 0 for the 2 minutes the test waited. Adding it makes the resend timer catch it up.
     */
    private void addViewMembersMissingFromCommitTable() {
        CommitTable table = commit_table;
        org.jgroups.View v = view;
        if (table == null || v == null || (table == checkedTable && v == checkedView) || !isLeader()) {
            return; // this runs before every batch: compare only after the view or the table changed
        }
        checkedTable = table;
        checkedView = v;
        List<Address> missing = missingFromCommitTable(v.getMembers(), table.keys(), getAddress());
        if (!missing.isEmpty()) {
            batonLog.warn("{}: {} in the view but not in the commit table (view change during the election): adding",
                    getAddress(), missing);
            List<Address> followers = new java.util.ArrayList<>(v.getMembers());
            followers.remove(getAddress());
            table.adjust(followers, last_appended + 1);
        }
    }

    /** The members of {@code view} other than {@code self} that {@code tracked} lacks. */
    static List<Address> missingFromCommitTable(List<Address> view, java.util.Set<Address> tracked, Address self) {
        return view.stream().filter(m -> !m.equals(self) && !tracked.contains(m)).toList();
    }

    @Override
    protected void process(List<Request> q) {
        try {
            super.process(q);
        } finally {
            if (background != null) {
                background.finishIfDone();
            }
            startExports();
            sweepLaggingFollowers();
        }
    }

    /**
     * Per follower, what was last sent eagerly: {probe index, when, range end, when}. The live stream
     * can fail many times on one gap before the catch-up arrives, each failure reporting the same
     * next index: one probe per index per {@code eager_repeat_ms}, and no range that a range
     * sent within {@code resend_interval} already covers (a slow follower is not sent the same
     * large range twice). The resend timer and the sweep still cover lost messages.
     */
    private final Map<Address, long[]> eagerSent = new HashMap<>();

    @Property(description = "Probe one missing index of a lagging follower at most this often (ms); Timings.catchUpRepeatMs")
    protected long eager_repeat_ms = 50;

    /**
     * A follower's append of the leader's entries: true only if they were all stored. In 1.1.4
     * {@code RAFT.append} returns true whatever the log stored, and the follower then acknowledges
     * {@code prev_index + n} entries it may not hold (a full disk acknowledged writes that a later
     * crash of the leader would lose). Now a failed append answers OK with the index really stored
     * ({@code RaftImpl.handleAppendEntriesRequest}), so the leader counts only what is on disk and
     * resends the rest, which retries the write until the disk takes it again.
     */
    @Override
    protected boolean append(long index, LogEntries entries) {
        if (index <= last_appended) {
            return false;
        }
        last_appended = log_impl instanceof ChecksummedLog c ? c.appendReplicated(index, entries) : log_impl.append(index, entries);
        boolean stored = last_appended >= index + entries.size() - 1;
        if (stored) {
            snapshotIfNeeded((int) entries.totalSize()); // 1.1.4 counted failed appends too, and snapshotted a full disk
        }
        return stored;
    }

    @Override
    public void handleUpRequest(Message msg, RaftHeader hdr) {
        if (hdr instanceof AppendEntriesRequest req) {
            super.handleUpRequest(msg, hdr);
            heardLeaderCommit(EntryIndex.leaderCommit(req), req.currTerm());
            return;
        }
        if (!(hdr instanceof AppendEntriesResponse)) {
            super.handleUpRequest(msg, hdr);
            return;
        }
        Address member = msg.getSrc();
        CommitTable table = commit_table;
        CommitTable.Entry before = table == null || member == null ? null : table.get(member);
        boolean wasProbing = before != null && before.sendSingleMessage();
        super.handleUpRequest(msg, hdr);
        catchUpAtOnce(member, wasProbing);
        Runnable l = followerProgress;
        if (l != null) {
            l.run();
        }
    }

    private volatile Runnable followerProgress;
    private volatile long leaderCommitHeard; // the highest commit index a leader of the current term sent
    private volatile long caughtUpNanos = System.nanoTime(); // when this node last held every entry it knew committed

    /**
     * Runner thread, after an AppendEntries request was handled (entries stored, commits applied):
     * remembers the leader's commit index and whether this node has applied up to it.
     */
    private void heardLeaderCommit(long leaderCommit, long term) {
        if (term != currentTerm()) {
            return;
        }
        if (leaderCommit > leaderCommitHeard || term != leaderCommitTerm) {
            leaderCommitTerm = term;
            leaderCommitHeard = leaderCommit;
        }
        if (commit_index >= leaderCommitHeard) {
            caughtUpNanos = System.nanoTime();
        }
    }

    private long leaderCommitTerm;

    /** The highest commit index this follower heard from its leader (0 before any). */
    long leaderCommitHeard() {
        return leaderCommitHeard;
    }

    /**
     * How long this follower has been behind its leader's commit index: 0 while it has applied
     * everything it was told is committed, else the time since it last had.
     */
    long behindNanos(long now) {
        return commit_index >= leaderCommitHeard ? 0 : now - caughtUpNanos;
    }

    /**
     * Runs {@code listener} (null: none) after each AppendEntries answer on the leader, i.e. whenever
     * a follower's match index may have moved. Called on the thread that handles answers: must only
     * hand the news on. jgroups-raft has no such callback; a hand-over in progress uses it instead of
     * polling the commit table.
     */
    void onFollowerProgress(Runnable listener) {
        this.followerProgress = listener;
    }

    /**
     * RAFT sets a follower's send-single flag on a failed answer (next index lowered: probe one
     * entry) and clears it on a successful one. Runs on the thread that handles responses, which in
     * RAFT's asynchronous mode is the runner thread, the only one that touches the log.
     */
    private void catchUpAtOnce(Address member, boolean wasProbing) {
        CommitTable table = commit_table;
        if (member == null || table == null || !isLeader()) {
            return;
        }
        CommitTable.Entry e = table.get(member);
        if (e == null) {
            return;
        }
        long last = last_appended;
        long next = Math.max(e.nextIndex(), 1);
        boolean probe = e.sendSingleMessage(); // the last answer was a failure
        boolean probeAnswered = wasProbing && !probe && e.matchIndex() < last;
        if (!probe && !probeAnswered) {
            return;
        }
        if (next > last || next < log().firstAppended()) {
            return; // nothing to send, or a snapshot is needed: left to the resend timer
        }
        long now = System.nanoTime();
        long[] sent = eagerSent.get(member);
        if (sent == null) {
            eagerSent.keySet().retainAll(table.keys()); // forget members that left
            sent = new long[] {-1, now, -1, now};
            eagerSent.put(member, sent);
        }
        long to;
        if (probe) {
            if (sent[0] == next && now - sent[1] < TimeUnit.MILLISECONDS.toNanos(eager_repeat_ms)) {
                return; // this gap was already probed; the answer may still be in flight
            }
            to = next;
            sent[0] = next;
            sent[1] = now;
        } else {
            if (next <= sent[2] && now - sent[3] < TimeUnit.MILLISECONDS.toNanos(resendInterval())) {
                return; // a recent range already carries these entries
            }
            to = Math.min(last, next + MAX_ENTRIES_PER_SWEEP - 1);
            sent[2] = to;
            sent[3] = now;
        }
        if (log.isTraceEnabled()) {
            log.trace("%s: follower %s is behind (next %d, match %d): sending [%d..%d] at once", getAddress(), member,
                    next, e.matchIndex(), next, to);
        }
        resend(member, next, to);
    }

    /**
     * On the leader: how many entries of its log each follower has not acknowledged yet (last
     * appended minus match index), by member id; empty on a follower. Any thread: reads RAFT's
     * commit table, whose entries are updated in place, so the numbers are a moment's estimate.
     */
    Map<String, Long> followerLag() {
        CommitTable table = commit_table;
        if (table == null || !isLeader()) {
            return Map.of();
        }
        long last = last_appended;
        Map<String, Long> lag = new HashMap<>();
        table.forEach((member, entry) -> {
            String id = LeaseGuard.memberId(member);
            if (id != null) {
                lag.put(id, Math.max(0, last - entry.matchIndex()));
            }
        });
        return lag;
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
