package dev.baton.node.statemachine;

import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The replicated key-value map. Pure and deterministic: no clock, no I/O but the snapshot streams
 * it is handed, no threads. Applying the same commands in the same order to the same snapshot
 * gives the same state and the same answers on every node.
 *
 * <p>Revisions: a global revision counts the mutations applied so far; each key carries the global
 * revision of the write that last changed it (so revisions of one key only grow, and a
 * compare-and-set on a revision can never match a later write). A key that does not exist has
 * revision 0.
 *
 * <p>Log time: the highest {@code atMs} stamp of the commands applied so far (the leaders' wall
 * clocks at submit, carried in the commands). It never goes back, even under a leader whose clock
 * is behind its predecessor's; sessions expire by it (see {@link SessionTable}). A leader clock far
 * ahead expires sessions early: such writes are then refused, never applied twice.
 *
 * <p>Not thread-safe: the caller applies from one thread and serializes any concurrent reads.
 */
public final class KvStateMachine {

    /** Snapshot format version; bump on any change of {@link #writeSnapshot}. */
    private static final int SNAPSHOT_VERSION = 5;

    /** Client ids the legacy table keeps (entries written before sessions were registered). */
    public static final int DEFAULT_MAX_SESSIONS = 10_000;
    public static final int DEFAULT_MAX_ANSWERS_PER_SESSION = 1_000;

    private final FreezableMap<Stored> entries = new FreezableMap<>();
    private final LegacySessionTable legacySessions;
    private final SessionTable sessions;
    private long logTimeMs;
    private long revision;
    private long lastNoopTerm;
    private ClusterControl control = ClusterControl.INITIAL;
    private final LeadershipHistory history = new LeadershipHistory();
    private MemberTable memberTable = MemberTable.EMPTY;

    private record Stored(byte[] value, long revision) {}

    public KvStateMachine() {
        this(DEFAULT_MAX_SESSIONS, DEFAULT_MAX_ANSWERS_PER_SESSION);
    }

    /** {@code maxLegacySessions}: client ids remembered for unstamped (old-format) entries only. */
    public KvStateMachine(int maxLegacySessions, int maxAnswersPerSession) {
        this.legacySessions = new LegacySessionTable(maxLegacySessions, maxAnswersPerSession);
        this.sessions = new SessionTable(maxAnswersPerSession);
    }

    public Result apply(Command command) {
        if (command instanceof Command.Put p) {
            return withSession(p.session(), p.atMs(), () -> put(p));
        } else if (command instanceof Command.Delete d) {
            return withSession(d.session(), d.atMs(), () -> delete(d));
        } else if (command instanceof Command.OpenSession o) {
            advanceLogTime(o.atMs());
            String id = sessions.open(o.nonce(), o.timeoutMs(), o.maxSessions(), logTimeMs);
            return new Result.SessionOpened(id, o.timeoutMs());
        } else if (command instanceof Command.Get g) {
            Stored s = entries.get(g.key());
            return s == null ? new Result.NotFound() : new Result.Value(s.value(), s.revision());
        } else if (command instanceof Command.ListPrefix l) {
            return list(l);
        } else if (command instanceof Command.Noop n) {
            lastNoopTerm = Math.max(lastNoopTerm, n.term());
            control = control.resolveHandover(n.term(), n.nodeId());
            history.begin(n);
            return new Result.Done(revision);
        } else if (command instanceof Command.Approve a) {
            control = control.withApproval(a.term());
            history.activate(a.term(), TermCause.PROMOTE, a.atMs());
            return new Result.Done(revision);
        } else if (command instanceof Command.SetMaintenance m) {
            control = control.withMaintenance(m.enabled(), m.untilEpochMs());
            if (!m.enabled()) {
                history.activate(-1, TermCause.MAINTENANCE, m.setAtEpochMs());
            }
            return new Result.Done(revision);
        } else if (command instanceof Command.SetMembers m) {
            memberTable = memberTable.apply(m);
            return new Result.Done(revision);
        } else if (command instanceof Command.Handover h) {
            if (h.approved()) {
                control = control.withHandover(h.targetId(), h.fromTerm());
            }
            history.handOver(h.fromTerm(), h.approved() ? TermCause.SWITCHOVER : TermCause.HANDOVER, h.atMs());
            return new Result.Done(revision);
        }
        throw new IllegalArgumentException("unknown command " + command);
    }

    private interface Mutation {
        Result run();
    }

    private Result withSession(Command.Session session, long atMs, Mutation mutation) {
        if (atMs < 0) { // Command.UNSTAMPED
            return withLegacySession(session, mutation);
        }
        advanceLogTime(atMs);
        if (session.isNone()) {
            return mutation.run();
        }
        SessionTable.Lookup lookup = sessions.lookup(session, logTimeMs);
        if (lookup instanceof SessionTable.Unknown u) {
            return u.refusal();
        }
        if (lookup instanceof SessionTable.Duplicate d) {
            return d.first();
        }
        Result result = mutation.run();
        sessions.record(session, result);
        return result;
    }

    /** Log time moves forward only; expired sessions are dropped as it does. */
    private void advanceLogTime(long atMs) {
        if (atMs > logTimeMs) {
            logTimeMs = atMs;
        }
        sessions.expire(logTimeMs);
    }

    /** An entry of the log format before sessions: de-duplicated by client-chosen id, as it was first applied. */
    private Result withLegacySession(Command.Session session, Mutation mutation) {
        if (session.isNone()) {
            return mutation.run();
        }
        LegacySessionTable.Lookup lookup = legacySessions.lookup(session);
        if (lookup instanceof LegacySessionTable.Duplicate d) {
            return d.first();
        }
        Result result = mutation.run();
        legacySessions.record(session, result);
        return result;
    }

    private Result put(Command.Put p) {
        Stored old = entries.get(p.key());
        long oldRevision = old == null ? 0 : old.revision();
        if (p.ifRevision() != Command.NO_REVISION_CHECK && p.ifRevision() != oldRevision) {
            return new Result.RevisionMismatch(oldRevision);
        }
        revision++;
        entries.put(p.key(), new Stored(p.value().clone(), revision));
        return new Result.Written(revision, oldRevision, old != null);
    }

    private Result delete(Command.Delete d) {
        Stored old = entries.get(d.key());
        long oldRevision = old == null ? 0 : old.revision();
        if (d.ifRevision() != Command.NO_REVISION_CHECK && d.ifRevision() != oldRevision) {
            return new Result.RevisionMismatch(oldRevision);
        }
        if (old == null) {
            return new Result.Written(revision, 0, false);
        }
        revision++;
        entries.remove(d.key());
        return new Result.Written(revision, oldRevision, true);
    }

    private Result list(Command.ListPrefix l) {
        List<Result.Entry> out = new ArrayList<>();
        String from = l.after().compareTo(l.prefix()) > 0 ? l.after() : l.prefix();
        for (Iterator<Map.Entry<String, Stored>> it = entries.from(from); it.hasNext(); ) {
            Map.Entry<String, Stored> e = it.next();
            if (!e.getKey().startsWith(l.prefix())) {
                break; // keys with the prefix are contiguous in key order
            }
            if (e.getKey().equals(l.after())) {
                continue; // the last key of the previous page
            }
            if (out.size() >= l.limit()) {
                return new Result.Listing(List.copyOf(out), true);
            }
            out.add(new Result.Entry(e.getKey(), e.getValue().value(), e.getValue().revision()));
        }
        return new Result.Listing(List.copyOf(out), false);
    }

    /** The global revision: number of mutations applied. */
    public long revision() {
        return revision;
    }

    /** Highest term whose leader's no-op has been applied. */
    public long lastNoopTerm() {
        return lastNoopTerm;
    }

    /** The highest leader time stamp applied so far (ms since the epoch; 0 before any). */
    public long logTimeMs() {
        return logTimeMs;
    }

    /** Client sessions open now (not expired or evicted as of log time). */
    public int liveSessions() {
        return sessions.size();
    }

    /** Client sessions ever opened. */
    public long sessionsOpened() {
        return sessions.opened();
    }

    /** Replicated operator settings: approvals, maintenance, planned handover. */
    public ClusterControl control() {
        return control;
    }

    /** The replicated leadership history (read under the caller's lock, like every other state). */
    public LeadershipHistory history() {
        return history;
    }

    /** The replicated member table; empty until the first membership change. */
    public MemberTable members() {
        return memberTable;
    }

    public int size() {
        return entries.size();
    }

    /** A copy of the value stored under {@code key}, or null. For local (non-linearizable) reads and tests. */
    public byte[] peek(String key) {
        Stored s = entries.get(key);
        return s == null ? null : s.value().clone();
    }

    public void writeSnapshot(DataOutput out) throws IOException {
        writeHead(out, entries.size());
        for (Iterator<Map.Entry<String, Stored>> it = entries.all(); it.hasNext(); ) {
            writeEntry(out, it.next());
        }
        writeTail(out);
    }

    /**
     * The state as it is now, to be written later, on another thread, while this machine applies
     * on (see {@link Capture}). Costs the size of the sessions, not of the keys: the keys are
     * frozen ({@link FreezableMap}), not copied. One capture at a time; {@link #release} it.
     */
    public Capture capture() throws IOException {
        var head = new ByteArrayOutputStream(32);
        writeHead(new DataOutputStream(head), entries.size());
        var tail = new ByteArrayOutputStream(256);
        writeTail(new DataOutputStream(tail));
        return new Capture(head.toByteArray(), entries.freeze(), tail.toByteArray());
    }

    /** Ends {@code capture}: its keys may no longer be read, and the changes applied since are folded in. */
    public void release(Capture capture) {
        entries.thaw(capture.keys);
    }

    /** True while a {@link #capture} is not released. */
    public boolean capturing() {
        return entries.isFrozen();
    }

    /**
     * The snapshot of one moment: {@link #writeTo} writes what {@link #writeSnapshot} would have
     * written then. Safe to use from another thread until it is released.
     */
    public static final class Capture {
        private final byte[] head;
        private final FreezableMap.Frozen<Stored> keys;
        private final byte[] tail;

        private Capture(byte[] head, FreezableMap.Frozen<Stored> keys, byte[] tail) {
            this.head = head;
            this.keys = keys;
            this.tail = tail;
        }

        public void writeTo(DataOutput out) throws IOException {
            out.write(head);
            for (Map.Entry<String, Stored> e : keys.entries().entrySet()) {
                writeEntry(out, e);
            }
            out.write(tail);
        }
    }

    private void writeHead(DataOutput out, int count) throws IOException {
        out.writeInt(SNAPSHOT_VERSION);
        out.writeLong(revision);
        out.writeLong(lastNoopTerm);
        out.writeInt(count);
    }

    private static void writeEntry(DataOutput out, Map.Entry<String, Stored> e) throws IOException {
        out.writeUTF(e.getKey());
        out.writeLong(e.getValue().revision());
        CommandCodec.writeBytes(out, e.getValue().value());
    }

    private void writeTail(DataOutput out) throws IOException {
        legacySessions.writeTo(out);
        control.writeTo(out);
        out.writeLong(logTimeMs);
        sessions.writeTo(out);
        history.writeTo(out);
        memberTable.writeTo(out);
    }

    /** Replaces the whole state with the snapshot's. */
    public void readSnapshot(DataInput in) throws IOException {
        int version = in.readInt();
        if (version < 1 || version > SNAPSHOT_VERSION) {
            throw new IOException("unsupported snapshot version " + version + " (this build reads " + SNAPSHOT_VERSION + ")");
        }
        entries.clear();
        revision = in.readLong();
        lastNoopTerm = in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String key = in.readUTF();
            long rev = in.readLong();
            entries.put(key, new Stored(CommandCodec.readBytes(in), rev));
        }
        legacySessions.readFrom(in);
        control = version >= 2 ? ClusterControl.readFrom(in) : ClusterControl.INITIAL;
        if (version >= 3) {
            logTimeMs = in.readLong();
            sessions.readFrom(in);
        } else {
            logTimeMs = 0;
            sessions.clear();
        }
        if (version >= 4) {
            history.readFrom(in);
        } else {
            history.clear(); // recorded from the next term on
        }
        memberTable = version >= 5 ? MemberTable.readFrom(in) : MemberTable.EMPTY;
    }

    /** Structural equality of the replicated state (keys, values, revisions), for determinism checks. */
    public boolean sameStateAs(KvStateMachine other) {
        if (revision != other.revision || entries.size() != other.entries.size() || !control.equals(other.control)
                || logTimeMs != other.logTimeMs || sessions.opened() != other.sessions.opened()
                || sessions.size() != other.sessions.size() || !history.sameAs(other.history)
                || !memberTable.equals(other.memberTable)) {
            return false;
        }
        for (Iterator<Map.Entry<String, Stored>> it = entries.all(); it.hasNext(); ) {
            Map.Entry<String, Stored> e = it.next();
            Stored o = other.entries.get(e.getKey());
            if (o == null || o.revision() != e.getValue().revision() || !Arrays.equals(o.value(), e.getValue().value())) {
                return false;
            }
        }
        return true;
    }
}
