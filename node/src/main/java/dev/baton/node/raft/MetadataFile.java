package dev.baton.node.raft;

import dev.baton.node.CorruptStorageException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.jgroups.Address;
import org.jgroups.raft.filelog.MetadataStorage;
import org.jgroups.util.Util;

/**
 * Raft's persistent state besides the log (current term, vote, commit index) in {@code
 * metadata.crc}: two slots of {@link #SLOT} bytes, each a whole copy with a sequence number and a
 * CRC32C. Reading takes the sound slot with the highest sequence number.
 *
 * <p>Why not jgroups-raft's {@code MetadataStorage}: it writes term and commit index through a
 * memory map, and a write to a mapped file that became unwritable ({@code chattr +i}) or whose
 * disk is full raises SIGBUS: the JVM turns it into an {@code InternalError} in whatever thread
 * wrote, which escaped RAFT with a JGroups lock held and left a node that never heard from its
 * leader again. Here every write is a positioned write that fails with an {@link IOException}. It
 * also had no checksum.
 *
 * <p>Durability: a new term or vote is forced before {@link #write} returns (Raft acts on them:
 * §5.1, Figure 2); a new commit index is not (Raft keeps it volatile: a lower one after a crash is
 * only corrected by the leader). A forced write never overwrites the slot of the last forced one,
 * and an unforced write goes to the other slot, so the last forced state always survives a crash
 * intact: a torn slot fails its checksum and the other one is read.
 *
 * <p>Threads: not thread-safe; {@link ChecksummedLog} calls it under its metadata lock.
 */
final class MetadataFile implements Closeable {

    static final String NAME = "metadata.crc";
    /** jgroups-raft's file, read once to migrate a data directory written before this file existed. */
    static final String LEGACY = "metadata.raft";
    static final int SLOT = 512;
    private static final int MAGIC = 0x4254_4d44; // "BTMD"
    private static final int HEADER = 4 + 4 + 8 + 8 + 8 + 4; // magic, crc, seq, term, commit, vote length

    /** The persistent state: term, vote (null: none in this term) and commit index. */
    record State(long term, Address vote, long commit) {
        static final State EMPTY = new State(0, null, 0);

        State withTerm(long t) {
            return new State(t, vote, commit);
        }

        State withVote(Address v) {
            return new State(term, v, commit);
        }

        State withCommit(long c) {
            return new State(term, vote, c);
        }
    }

    private final Path path;
    private boolean fsync;
    private FileChannel channel;
    private long seq;
    private int durableSlot;
    private volatile State state = State.EMPTY; // read by the log's getters on any thread

    MetadataFile(Path dir, boolean fsync) {
        this.path = dir.resolve(NAME);
        this.fsync = fsync;
    }

    Path path() {
        return path;
    }

    void fsync(boolean f) {
        this.fsync = f;
    }

    /**
     * Opens the file (migrating jgroups-raft's {@code metadata.raft}, or starting empty, if it is
     * missing) and returns the state it holds.
     *
     * @throws CorruptStorageException if neither slot is sound
     */
    State open() throws IOException {
        Path dir = path.getParent();
        boolean fresh = !Files.exists(path);
        State migrated = fresh && Files.exists(dir.resolve(LEGACY)) ? readLegacy(dir) : null;
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (fresh) {
            State s = migrated == null ? State.EMPTY : migrated;
            // both slots, forced, before the old file goes: a crash in between leaves one of them
            durableSlot = 1;
            write(s, true);
            write(s, true);
            Durable.forceDirectory(dir);
            if (migrated != null) {
                Files.delete(dir.resolve(LEGACY));
                Durable.forceDirectory(dir);
            }
            return s;
        }
        Slot a = read(0);
        Slot b = read(1);
        Slot best = a.sound() && (!b.sound() || a.seq() >= b.seq()) ? a : b;
        if (!best.sound()) {
            throw new CorruptStorageException(path + ": both copies of the term, vote and commit index are damaged ("
                    + a.problem() + "; " + b.problem() + ")");
        }
        seq = best.seq();
        durableSlot = best.index();
        state = best.state();
        return state;
    }

    private static State readLegacy(Path dir) throws IOException {
        MetadataStorage old = new MetadataStorage(dir.toFile(), false);
        old.open();
        try {
            return new State(old.getCurrentTerm(), old.getVotedFor(), old.getCommitIndex());
        } catch (ClassNotFoundException e) {
            throw new IOException(dir.resolve(LEGACY) + ": unreadable vote: " + e, e);
        } finally {
            old.close();
        }
    }

    State state() {
        return state;
    }

    /** Stores {@code s}; forced to disk first when {@code force} (a new term or vote) and fsync is on. */
    void write(State s, boolean force) throws IOException {
        int slot = 1 - durableSlot;
        ByteBuffer buf = encode(s, seq + 1);
        long at = (long) slot * SLOT;
        while (buf.hasRemaining()) {
            at += channel.write(buf, at);
        }
        if (force && fsync) {
            channel.force(false);
        }
        seq++;
        if (force) {
            durableSlot = slot;
        }
        state = s;
    }

    private static ByteBuffer encode(State s, long seq) throws IOException {
        byte[] vote = new byte[0];
        if (s.vote() != null) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Util.writeAddress(s.vote(), new DataOutputStream(bytes));
            vote = bytes.toByteArray();
        }
        if (HEADER + vote.length > SLOT) {
            throw new IOException("vote for " + s.vote() + " takes " + vote.length + " bytes, more than a metadata slot holds");
        }
        ByteBuffer buf = ByteBuffer.allocate(SLOT);
        buf.putInt(MAGIC).putInt(0).putLong(seq).putLong(s.term()).putLong(s.commit()).putInt(vote.length).put(vote);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 8, HEADER - 8 + vote.length);
        buf.putInt(4, (int) crc.getValue());
        return buf.position(0).limit(SLOT);
    }

    private record Slot(int index, long seq, State state, String problem) {
        boolean sound() {
            return problem == null;
        }
    }

    private Slot read(int index) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(SLOT);
        long at = (long) index * SLOT;
        while (buf.hasRemaining()) {
            int r = channel.read(buf, at + buf.position());
            if (r < 0) {
                break;
            }
        }
        String where = "copy " + (index + 1) + " at byte offset " + at;
        if (buf.position() < HEADER) {
            return new Slot(index, -1, null, where + " is missing");
        }
        if (buf.getInt(0) != MAGIC) {
            return new Slot(index, -1, null, where + " has no header");
        }
        int voteLen = buf.getInt(HEADER - 4);
        if (voteLen < 0 || HEADER + voteLen > SLOT) {
            return new Slot(index, -1, null, where + " has an impossible vote length " + voteLen);
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 8, HEADER - 8 + voteLen);
        if ((int) crc.getValue() != buf.getInt(4)) {
            return new Slot(index, -1, null, where + " fails its checksum");
        }
        Address vote = null;
        if (voteLen > 0) {
            try {
                vote = Util.readAddress(new DataInputStream(new ByteArrayInputStream(buf.array(), HEADER, voteLen)));
            } catch (IOException | ClassNotFoundException e) {
                return new Slot(index, -1, null, where + " holds an unreadable vote: " + e);
            }
        }
        return new Slot(index, buf.getLong(8), new State(buf.getLong(16), vote, buf.getLong(24)), null);
    }

    void delete() throws IOException {
        close();
        Files.deleteIfExists(path);
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
