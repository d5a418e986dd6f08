package dev.baton.node.statemachine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Client sessions the cluster registered (Raft dissertation §6.3), and per session the answers of
 * its recent writes, so that a write retried after a lost answer or a failover is applied once and
 * answered with its first result.
 *
 * <p>The rule that keeps exactly-once honest: a session id is issued here, never reused (its number
 * counts every session ever opened), and a write naming an id this table does not hold is refused
 * ({@link Unknown}), never applied. So forgetting a session (expiry, eviction) can make a retry
 * fail, but never apply it twice.
 *
 * <p>Deterministic: time is log time (the leaders' stamps, see {@link KvStateMachine}); a session
 * unused for more than its timeout is expired at the next stamped command; opening one beyond the
 * cap evicts the least recently used (in apply order). Per session, at most {@code maxPerSession}
 * answers (lowest sequence forgotten first; a sequence below the session's floor is refused).
 *
 * <p>Not thread-safe: owned by the state machine, which is applied by one thread.
 */
final class SessionTable {

    private final int maxPerSession;
    /** Live sessions in order of last use, least recent first (so in order of {@code lastUsedMs}). */
    private final LinkedHashMap<String, Live> live = new LinkedHashMap<>(16, 0.75f, true);
    private long opened; // sessions ever opened: the number of the last id issued

    SessionTable(int maxPerSession) {
        this.maxPerSession = maxPerSession;
    }

    /** Outcome of looking a write up before applying it. */
    sealed interface Lookup {}

    /** Not seen: apply it, then {@link #record}. */
    record Fresh() implements Lookup {}

    /** Seen: answer this without applying. */
    record Duplicate(Result first) implements Lookup {}

    /** No such live session: refuse the write. */
    record Unknown(Result.UnknownSession refusal) implements Lookup {}

    private static final class Live {
        final long timeoutMs;
        long lastUsedMs;
        long floor; // every seq below has been acknowledged or forgotten
        final TreeMap<Long, Result> answers = new TreeMap<>();

        Live(long timeoutMs, long lastUsedMs) {
            this.timeoutMs = timeoutMs;
            this.lastUsedMs = lastUsedMs;
        }

        boolean expiredAt(long nowMs) {
            return nowMs - lastUsedMs > timeoutMs;
        }
    }

    /** {@code <number>-<nonce as 16 hex digits>}: the number makes it unique, the nonce unguessable. */
    static String format(long number, long nonce) {
        return number + "-" + String.format("%016x", nonce);
    }

    /** Whether {@code id} has the form of an id this table issues (a client-chosen id has not, mostly). */
    static boolean wellFormed(String id) {
        int dash = id.indexOf('-');
        if (dash < 1 || id.length() - dash - 1 != 16) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = i < dash ? c >= '0' && c <= '9' : i == dash || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Opens a session at log time {@code nowMs} and returns its new id. */
    String open(long nonce, long timeoutMs, int maxSessions, long nowMs) {
        expire(nowMs);
        Iterator<Map.Entry<String, Live>> eldest = live.entrySet().iterator();
        while (live.size() >= Math.max(1, maxSessions)) {
            eldest.next();
            eldest.remove(); // its later writes are refused as unknown: honest, unlike forgetting a client-chosen id
        }
        opened++;
        String id = format(opened, nonce);
        live.put(id, new Live(timeoutMs, nowMs));
        return id;
    }

    /** Drops the sessions unused for longer than their timeout at log time {@code nowMs}, least recently used first. */
    void expire(long nowMs) {
        Iterator<Live> it = live.values().iterator();
        while (it.hasNext()) {
            Live s = it.next();
            if (!s.expiredAt(nowMs)) {
                // later ones were used later; one with a longer timeout may hide shorter ones behind it,
                // which lookup() expires by themselves
                return;
            }
            it.remove();
        }
    }

    /** Looks a write up at log time {@code nowMs}; a known session counts as used now. */
    Lookup lookup(Command.Session session, long nowMs) {
        String id = session.clientId();
        Live s = live.get(id);
        if (s != null && s.expiredAt(nowMs)) {
            live.remove(id);
            s = null;
        }
        if (s == null) {
            return new Unknown(new Result.UnknownSession(id, wellFormed(id)
                    ? "session " + id + " is unknown: it expired (unused for longer than its timeout), was evicted"
                            + " (too many sessions) or was never opened by this cluster"
                    : "'" + id + "' is not a session this cluster issued (client-chosen ids are not accepted)"));
        }
        s.lastUsedMs = Math.max(s.lastUsedMs, nowMs);
        long acked = ackedBelow(session);
        if (acked > s.floor) {
            s.floor = acked;
            s.answers.headMap(s.floor).clear();
        }
        Result first = s.answers.get(session.seq());
        if (first != null) {
            return new Duplicate(first);
        }
        if (session.seq() < s.floor) {
            return new Duplicate(new Result.Rejected("write " + session.seq() + " of session " + id
                    + " is older than its acknowledged or forgotten writes (below " + s.floor + ")"));
        }
        return new Fresh();
    }

    /** After a {@link Fresh} lookup of the same session: remembers the write's answer. */
    void record(Command.Session session, Result result) {
        Live s = live.get(session.clientId());
        if (s == null) {
            return; // not after a Fresh lookup; nothing to remember it in
        }
        s.answers.put(session.seq(), result);
        while (s.answers.size() > maxPerSession) {
            long lowest = s.answers.firstKey();
            s.answers.remove(lowest);
            s.floor = Math.max(s.floor, lowest + 1);
        }
    }

    /**
     * What a write may acknowledge: only writes below its own number, which the client has sent
     * (a larger value would put every later write of that session below the floor).
     */
    private static long ackedBelow(Command.Session session) {
        return Math.min(session.ackedBelow(), session.seq());
    }

    int size() {
        return live.size();
    }

    /** Sessions ever opened. */
    long opened() {
        return opened;
    }

    /** Writes sessions least recently used first, so that a restored table expires and evicts in the same order. */
    void writeTo(DataOutput out) throws IOException {
        out.writeLong(opened);
        out.writeInt(live.size());
        for (Map.Entry<String, Live> e : live.entrySet()) {
            Live s = e.getValue();
            out.writeUTF(e.getKey());
            out.writeLong(s.timeoutMs);
            out.writeLong(s.lastUsedMs);
            out.writeLong(s.floor);
            out.writeInt(s.answers.size());
            for (Map.Entry<Long, Result> a : s.answers.entrySet()) {
                out.writeLong(a.getKey());
                CommandCodec.writeBytes(out, CommandCodec.encode(a.getValue()));
            }
        }
    }

    void readFrom(DataInput in) throws IOException {
        live.clear();
        opened = in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String id = in.readUTF();
            Live s = new Live(in.readLong(), in.readLong());
            s.floor = in.readLong();
            int answers = in.readInt();
            for (int j = 0; j < answers; j++) {
                long seq = in.readLong();
                s.answers.put(seq, CommandCodec.decodeResult(CommandCodec.readBytes(in)));
            }
            live.put(id, s);
        }
    }

    /** Resets to no sessions (a snapshot of a format without them). */
    void clear() {
        live.clear();
        opened = 0;
    }
}
