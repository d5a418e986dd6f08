package dev.baton.node.statemachine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * De-duplication of log entries written before the cluster registered sessions (entry types {@code
 * PUT}/{@code DELETE} without a time stamp, carrying a client-chosen id): kept, unchanged, so that a
 * node replaying such a log applies it as it was first applied. No new entry reaches it; new writes
 * use {@link SessionTable}. Its fault, which sessions fix: an evicted client id is taken for a new
 * one, so its retried write is applied again.
 *
 * <p>Remembers, per client id, the answers of its recent writes so that a write retried after a lost
 * answer or a failover is applied once and answered with its first result (Raft dissertation
 * §6.3). Bounded and deterministic: at most {@code maxClients} clients (least recently used
 * evicted, in apply order) and {@code maxPerClient} answers per client (lowest sequence evicted).
 * A sequence below a client's floor (acknowledged by the client or evicted) is refused rather than
 * applied again, so a write is never applied twice while its client is remembered.
 *
 * <p>Not thread-safe: owned by the state machine, which is applied by one thread.
 */
final class LegacySessionTable {

    private final int maxClients;
    private final int maxPerClient;
    private final LinkedHashMap<String, ClientSession> clients = new LinkedHashMap<>(16, 0.75f, true);

    LegacySessionTable(int maxClients, int maxPerClient) {
        this.maxClients = maxClients;
        this.maxPerClient = maxPerClient;
    }

    /** Outcome of looking a write up before applying it. */
    sealed interface Lookup {}

    /** Not seen: apply it, then {@link #record}. */
    record Fresh() implements Lookup {}

    /** Seen: answer this without applying. */
    record Duplicate(Result first) implements Lookup {}

    private static final class ClientSession {
        long floor; // every seq below has been acknowledged or forgotten
        final TreeMap<Long, Result> answers = new TreeMap<>();
    }

    /**
     * What a write may acknowledge: only writes below its own number, which the client has sent
     * (a larger value, e.g. from a client that does not follow the protocol, would put every later
     * write of that client below the floor, refused forever).
     */
    private static long ackedBelow(Command.Session session) {
        return Math.min(session.ackedBelow(), session.seq());
    }

    Lookup lookup(Command.Session session) {
        ClientSession c = clients.get(session.clientId());
        if (c == null) {
            return new Fresh();
        }
        if (ackedBelow(session) > c.floor) {
            c.floor = ackedBelow(session);
            c.answers.headMap(c.floor).clear();
        }
        Result first = c.answers.get(session.seq());
        if (first != null) {
            return new Duplicate(first);
        }
        if (session.seq() < c.floor) {
            return new Duplicate(new Result.Rejected("write " + session.seq() + " of client " + session.clientId()
                    + " is older than its acknowledged or forgotten writes (below " + c.floor + ")"));
        }
        return new Fresh();
    }

    void record(Command.Session session, Result result) {
        ClientSession c = clients.computeIfAbsent(session.clientId(), id -> new ClientSession());
        if (ackedBelow(session) > c.floor) {
            c.floor = ackedBelow(session);
            c.answers.headMap(c.floor).clear();
        }
        c.answers.put(session.seq(), result);
        while (c.answers.size() > maxPerClient) {
            long lowest = c.answers.firstKey();
            c.answers.remove(lowest);
            c.floor = Math.max(c.floor, lowest + 1);
        }
        if (clients.size() > maxClients) {
            Iterator<Map.Entry<String, ClientSession>> eldest = clients.entrySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    int size() {
        return clients.size();
    }

    /** Writes clients in LRU order so that a restored table evicts in the same order. */
    void writeTo(DataOutput out) throws IOException {
        out.writeInt(clients.size());
        for (Map.Entry<String, ClientSession> e : clients.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue().floor);
            out.writeInt(e.getValue().answers.size());
            for (Map.Entry<Long, Result> a : e.getValue().answers.entrySet()) {
                out.writeLong(a.getKey());
                CommandCodec.writeBytes(out, CommandCodec.encode(a.getValue()));
            }
        }
    }

    void readFrom(DataInput in) throws IOException {
        clients.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String id = in.readUTF();
            ClientSession c = new ClientSession();
            c.floor = in.readLong();
            int answers = in.readInt();
            for (int j = 0; j < answers; j++) {
                long seq = in.readLong();
                c.answers.put(seq, CommandCodec.decodeResult(CommandCodec.readBytes(in)));
            }
            clients.put(id, c);
        }
    }
}
