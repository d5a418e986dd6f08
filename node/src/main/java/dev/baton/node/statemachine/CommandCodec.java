package dev.baton.node.statemachine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary encoding of {@link Command}s (the Raft log entries) and {@link Result}s (the answers). The
 * first byte is the type; strings are modified UTF-8 ({@link DataOutputStream#writeUTF}); byte
 * arrays are length-prefixed. The log outlives the code that wrote it, so type bytes are never
 * reused and new fields go into new types.
 */
public final class CommandCodec {

    private static final byte PUT = 1;
    private static final byte DELETE = 2;
    private static final byte GET = 3;
    private static final byte LIST = 4;
    private static final byte NOOP = 5;
    private static final byte APPROVE = 6;
    private static final byte MAINTENANCE = 7;
    private static final byte HANDOVER = 8;
    /** PUT and DELETE with the leader's time stamp; their session is one the state machine issued. */
    private static final byte PUT_STAMPED = 9;
    private static final byte DELETE_STAMPED = 10;
    private static final byte OPEN_SESSION = 11;
    /** NOOP, APPROVE and HANDOVER with what the leadership history records of them. */
    private static final byte NOOP_FACTS = 12;
    private static final byte APPROVE_STAMPED = 13;
    private static final byte HANDOVER_STAMPED = 14;
    /** LIST after a key (the next page); the first page keeps LIST, so that older nodes read it. */
    private static final byte LIST_AFTER = 20;
    private static final byte SET_MEMBERS = 21;

    private static final byte R_WRITTEN = 1;
    private static final byte R_MISMATCH = 2;
    private static final byte R_VALUE = 3;
    private static final byte R_NOT_FOUND = 4;
    private static final byte R_LISTING = 5;
    private static final byte R_DONE = 6;
    private static final byte R_REJECTED = 7;
    private static final byte R_SESSION_OPENED = 8;
    private static final byte R_UNKNOWN_SESSION = 9;
    /** A listing cut at its limit: as R_LISTING, more keys follow. */
    private static final byte R_LISTING_MORE = 20;

    private CommandCodec() {}

    public static byte[] encode(Command command) {
        return write(out -> {
            if (command instanceof Command.Put p) {
                out.writeByte(p.atMs() < 0 ? PUT : PUT_STAMPED);
                if (p.atMs() >= 0) {
                    out.writeLong(p.atMs());
                }
                writeSession(out, p.session());
                out.writeUTF(p.key());
                out.writeLong(p.ifRevision());
                writeBytes(out, p.value());
            } else if (command instanceof Command.Delete d) {
                out.writeByte(d.atMs() < 0 ? DELETE : DELETE_STAMPED);
                if (d.atMs() >= 0) {
                    out.writeLong(d.atMs());
                }
                writeSession(out, d.session());
                out.writeUTF(d.key());
                out.writeLong(d.ifRevision());
            } else if (command instanceof Command.Get g) {
                out.writeByte(GET);
                out.writeUTF(g.key());
            } else if (command instanceof Command.ListPrefix l) {
                out.writeByte(l.after().isEmpty() ? LIST : LIST_AFTER);
                out.writeUTF(l.prefix());
                if (!l.after().isEmpty()) {
                    out.writeUTF(l.after());
                }
                out.writeInt(l.limit());
            } else if (command instanceof Command.Noop n) {
                boolean legacy = n.facts().equals(LeaderFacts.NONE);
                out.writeByte(legacy ? NOOP : NOOP_FACTS);
                out.writeLong(n.term());
                out.writeUTF(n.nodeId());
                if (!legacy) {
                    LeaderFacts f = n.facts();
                    out.writeLong(f.proposedAtMs());
                    out.writeUTF(f.lastLeaderId());
                    out.writeLong(f.sinceHeardMs());
                    out.writeBoolean(f.lastLeaderGone());
                    out.writeBoolean(f.awaitingApproval());
                }
            } else if (command instanceof Command.Approve a) {
                out.writeByte(a.atMs() < 0 ? APPROVE : APPROVE_STAMPED);
                out.writeLong(a.term());
                out.writeUTF(a.nodeId());
                if (a.atMs() >= 0) {
                    out.writeLong(a.atMs());
                }
            } else if (command instanceof Command.SetMaintenance m) {
                out.writeByte(MAINTENANCE);
                out.writeBoolean(m.enabled());
                out.writeLong(m.untilEpochMs());
                out.writeLong(m.setAtEpochMs());
            } else if (command instanceof Command.Handover h) {
                boolean legacy = h.approved() && h.atMs() < 0;
                out.writeByte(legacy ? HANDOVER : HANDOVER_STAMPED);
                out.writeLong(h.fromTerm());
                out.writeUTF(h.targetId());
                if (!legacy) {
                    out.writeBoolean(h.approved());
                    out.writeLong(h.atMs());
                }
            } else if (command instanceof Command.SetMembers m) {
                out.writeByte(SET_MEMBERS);
                out.writeUTF(m.change());
                MemberTable.writeMembers(out, m.members());
            } else if (command instanceof Command.OpenSession o) {
                out.writeByte(OPEN_SESSION);
                out.writeLong(o.nonce());
                out.writeLong(o.timeoutMs());
                out.writeInt(o.maxSessions());
                out.writeLong(o.atMs());
            } else {
                throw new IllegalArgumentException("unknown command " + command);
            }
        });
    }

    public static Command decodeCommand(byte[] buf, int offset, int length) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(buf, offset, length))) {
            byte type = in.readByte();
            return switch (type) {
                case PUT, PUT_STAMPED -> {
                    long atMs = type == PUT ? Command.UNSTAMPED : in.readLong();
                    Command.Session s = readSession(in);
                    String key = in.readUTF();
                    long ifRevision = in.readLong();
                    yield new Command.Put(s, key, readBytes(in), ifRevision, atMs);
                }
                case DELETE, DELETE_STAMPED -> {
                    long atMs = type == DELETE ? Command.UNSTAMPED : in.readLong();
                    Command.Session s = readSession(in);
                    String key = in.readUTF();
                    yield new Command.Delete(s, key, in.readLong(), atMs);
                }
                case OPEN_SESSION -> new Command.OpenSession(in.readLong(), in.readLong(), in.readInt(), in.readLong());
                case GET -> new Command.Get(in.readUTF());
                case LIST -> new Command.ListPrefix(in.readUTF(), in.readInt());
                case LIST_AFTER -> new Command.ListPrefix(in.readUTF(), in.readUTF(), in.readInt());
                case NOOP -> new Command.Noop(in.readLong(), in.readUTF());
                case NOOP_FACTS -> new Command.Noop(in.readLong(), in.readUTF(),
                        new LeaderFacts(in.readLong(), in.readUTF(), in.readLong(), in.readBoolean(), in.readBoolean()));
                case APPROVE -> new Command.Approve(in.readLong(), in.readUTF());
                case APPROVE_STAMPED -> new Command.Approve(in.readLong(), in.readUTF(), in.readLong());
                case MAINTENANCE -> new Command.SetMaintenance(in.readBoolean(), in.readLong(), in.readLong());
                case HANDOVER -> new Command.Handover(in.readLong(), in.readUTF());
                case SET_MEMBERS -> {
                    String change = in.readUTF();
                    yield new Command.SetMembers(MemberTable.readMembers(in), change);
                }
                case HANDOVER_STAMPED -> new Command.Handover(in.readLong(), in.readUTF(), in.readBoolean(), in.readLong());
                default -> throw new CodecException("unknown command type " + type);
            };
        } catch (IOException e) {
            throw new CodecException("truncated or corrupt command (" + length + " bytes)", e);
        }
    }

    public static byte[] encode(Result result) {
        return write(out -> {
            if (result instanceof Result.Written w) {
                out.writeByte(R_WRITTEN);
                out.writeLong(w.revision());
                out.writeLong(w.previousRevision());
                out.writeBoolean(w.existed());
            } else if (result instanceof Result.RevisionMismatch m) {
                out.writeByte(R_MISMATCH);
                out.writeLong(m.currentRevision());
            } else if (result instanceof Result.Value v) {
                out.writeByte(R_VALUE);
                out.writeLong(v.revision());
                writeBytes(out, v.value());
            } else if (result instanceof Result.NotFound) {
                out.writeByte(R_NOT_FOUND);
            } else if (result instanceof Result.Listing l) {
                out.writeByte(l.more() ? R_LISTING_MORE : R_LISTING);
                out.writeInt(l.entries().size());
                for (Result.Entry e : l.entries()) {
                    out.writeUTF(e.key());
                    out.writeLong(e.revision());
                    writeBytes(out, e.value());
                }
            } else if (result instanceof Result.Done d) {
                out.writeByte(R_DONE);
                out.writeLong(d.revision());
            } else if (result instanceof Result.Rejected r) {
                out.writeByte(R_REJECTED);
                out.writeUTF(r.reason());
            } else if (result instanceof Result.SessionOpened o) {
                out.writeByte(R_SESSION_OPENED);
                out.writeUTF(o.sessionId());
                out.writeLong(o.timeoutMs());
            } else if (result instanceof Result.UnknownSession u) {
                out.writeByte(R_UNKNOWN_SESSION);
                out.writeUTF(u.sessionId());
                out.writeUTF(u.reason());
            } else {
                throw new IllegalArgumentException("unknown result " + result);
            }
        });
    }

    public static Result decodeResult(byte[] buf) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(buf))) {
            byte type = in.readByte();
            return switch (type) {
                case R_WRITTEN -> new Result.Written(in.readLong(), in.readLong(), in.readBoolean());
                case R_MISMATCH -> new Result.RevisionMismatch(in.readLong());
                case R_VALUE -> {
                    long revision = in.readLong();
                    yield new Result.Value(readBytes(in), revision);
                }
                case R_NOT_FOUND -> new Result.NotFound();
                case R_LISTING, R_LISTING_MORE -> {
                    int n = in.readInt();
                    List<Result.Entry> entries = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        String key = in.readUTF();
                        long revision = in.readLong();
                        entries.add(new Result.Entry(key, readBytes(in), revision));
                    }
                    yield new Result.Listing(List.copyOf(entries), type == R_LISTING_MORE);
                }
                case R_DONE -> new Result.Done(in.readLong());
                case R_REJECTED -> new Result.Rejected(in.readUTF());
                case R_SESSION_OPENED -> new Result.SessionOpened(in.readUTF(), in.readLong());
                case R_UNKNOWN_SESSION -> new Result.UnknownSession(in.readUTF(), in.readUTF());
                default -> throw new CodecException("unknown result type " + type);
            };
        } catch (IOException e) {
            throw new CodecException("truncated or corrupt result (" + buf.length + " bytes)", e);
        }
    }

    static void writeSession(DataOutputStream out, Command.Session s) throws IOException {
        out.writeUTF(s.clientId());
        out.writeLong(s.seq());
        out.writeLong(s.ackedBelow());
    }

    static Command.Session readSession(DataInputStream in) throws IOException {
        String clientId = in.readUTF();
        long seq = in.readLong();
        long ackedBelow = in.readLong();
        return clientId.isEmpty() ? Command.Session.NONE : new Command.Session(clientId, seq, ackedBelow);
    }

    static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** Longest byte array the codec will read: guards against a corrupt length allocating gigabytes. */
    static final int MAX_BYTES = 64 * 1024 * 1024;

    static byte[] readBytes(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_BYTES) {
            throw new IOException("corrupt length " + n);
        }
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return bytes;
    }

    interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory write failed", e);
        }
        return bytes.toByteArray();
    }
}
