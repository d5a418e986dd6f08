package dev.baton.node.raft;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.jgroups.protocols.raft.LogEntries;
import org.jgroups.protocols.raft.LogEntry;

/**
 * An append-only file of {@link LogRecord}s with consecutive indexes, and the in-memory offset of
 * each record. Owned by jgroups-raft's runner thread (the only thread that touches the log in
 * RAFT's asynchronous mode) after {@link #open}; not thread-safe.
 *
 * <p>Durability: {@link #append} and {@link #truncateFrom} force the data to disk when {@code fsync}
 * is set (one {@code fdatasync} per batch, as jgroups-raft's own file log does); {@link #dropBefore}
 * and {@link #reset} rewrite the file through a temporary file, forced and atomically renamed, so a
 * crash leaves the old or the new file, never a mix.
 *
 * <p>After the records the file holds zeros written ahead ({@link #writeAhead}). At {@link #open},
 * damage after which the file holds only zeros (or ends) is a write torn by a crash; zeros followed
 * by data, a bad record followed by more data, or one that seems to reach past the end while a sound
 * record of the next index follows it (a damaged length field), are corruption.
 */
final class EntryFile implements Closeable {

    /** Where {@link #scan} stopped reading sound records, and why. */
    record Damage(long offset, long index, String reason, boolean torn) {}

    private final Path path;
    private boolean fsync;
    private FileChannel channel;
    private boolean closed; // by close(): the channel stays shut
    private long first; // index of the first record; 0 when empty
    private long[] positions = new long[1024]; // positions[i]: offset of record first + i
    private int count;
    private long end; // offset just past the last sound record
    private long allocated; // file size: sound records, then zeros written ahead (see #append)
    private long lastForceNanos = -1; // how long the last append's force took; -1: none (fsync off)
    private ByteBuffer writeBuffer = ByteBuffer.allocateDirect(64 * 1024);

    EntryFile(Path path, boolean fsync) {
        this.path = path;
        this.fsync = fsync;
    }

    Path path() {
        return path;
    }

    void fsync(boolean f) {
        this.fsync = f;
    }

    /**
     * Opens (creating if missing) and reads every record, checking each checksum. Returns null if
     * the file is sound to its end, else the first damage; the sound prefix is then loaded and the
     * caller decides whether to {@link #truncateFrom} the damaged suffix or refuse to start.
     */
    Damage open() throws IOException {
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return scan();
    }

    private Damage scan() throws IOException {
        first = 0;
        count = 0;
        end = 0;
        long size = channel.size();
        InputStream raw = Channels.newInputStream(channel.position(0));
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 64 * 1024));
        long offset = 0;
        byte[] header = new byte[LogRecord.HEADER];
        allocated = size;
        while (offset < size) {
            long expected = count == 0 ? 0 : first + count;
            long shownIndex = count == 0 ? 1 : expected;
            if (size - offset < LogRecord.HEADER) {
                if (zerosFrom(offset)) {
                    return null; // the space written ahead of the records
                }
                return new Damage(offset, shownIndex, "incomplete record header (" + (size - offset) + " bytes at end of file)", true);
            }
            in.readFully(header);
            if (allZero(header)) {
                if (zerosFrom(offset)) {
                    return null; // the space written ahead of the records
                }
                return new Damage(offset, shownIndex, "zeros inside the log, followed by data", false);
            }
            int len = LogRecord.length(header);
            if (len < -1 || len > LogRecord.MAX_PAYLOAD) {
                return new Damage(offset, shownIndex, "impossible payload length " + len,
                        zerosFrom(offset + LogRecord.HEADER));
            }
            int total = LogRecord.size(len);
            if (size - offset < total) {
                return new Damage(offset, shownIndex, "record of " + total + " bytes cut off by end of file after "
                        + (size - offset) + " bytes", !soundRecordAfter(offset, expected));
            }
            byte[] rec = Arrays.copyOf(header, total);
            try {
                in.readFully(rec, LogRecord.HEADER, total - LogRecord.HEADER);
            } catch (EOFException e) {
                return new Damage(offset, shownIndex, "record cut off by end of file", true);
            }
            String problem = LogRecord.problem(rec, expected);
            if (problem != null) {
                // the last record of the file, checksum wrong: what a write torn by a crash leaves
                return new Damage(offset, shownIndex, problem, zerosFrom(offset + total) && !soundRecordAfter(offset, expected));
            }
            if (count == 0) {
                first = LogRecord.index(rec);
            }
            addPosition(offset);
            offset += total;
            end = offset;
        }
        return null;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a sound record of the next index ({@code index + 1}; any index if {@code index} is 0)
     * starts somewhere after the header of the damaged record at {@code offset}. A torn write is the
     * last one, so nothing sound can follow it; a record whose length field was damaged seems to
     * reach past the end of the file (or into the zeros written ahead), and without this look the
     * sound records after it would be discarded as if torn, silently, acknowledged ones included.
     * Reads the rest of the file once; runs only on damage, at start-up.
     */
    private boolean soundRecordAfter(long offset, long index) throws IOException {
        long from = offset + LogRecord.HEADER;
        long rest = Math.min(allocated - from, Integer.MAX_VALUE - 16);
        if (rest < LogRecord.HEADER) {
            return false;
        }
        ByteBuffer b = ByteBuffer.allocate((int) rest);
        while (b.hasRemaining() && channel.read(b, from + b.position()) > 0) {
            // fill
        }
        byte[] all = b.array();
        int n = b.position();
        long next = index == 0 ? 0 : index + 1;
        ByteBuffer view = ByteBuffer.wrap(all);
        for (int p = 0; p + LogRecord.HEADER <= n; p++) {
            long at = view.getLong(p + 8);
            if (next > 0 ? at != next : at <= 0) {
                continue;
            }
            int len = view.getInt(p);
            if (len < -1 || len > n - p - LogRecord.HEADER) {
                continue;
            }
            if (LogRecord.problem(Arrays.copyOfRange(all, p, p + LogRecord.size(len)), next) == null) {
                return true;
            }
        }
        return false;
    }

    /** Whether the file holds only zero bytes from {@code offset} to its end (or ends there). */
    private boolean zerosFrom(long offset) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        long at = offset;
        while (at < allocated) {
            b.clear();
            int r = channel.read(b, at);
            if (r <= 0) {
                return true;
            }
            for (int i = 0; i < r; i++) {
                if (b.get(i) != 0) {
                    return false;
                }
            }
            at += r;
        }
        return true;
    }

    /** How long the force of the last successful {@link #append} took, in ns; -1 if it did not force (fsync off). */
    long lastForceNanos() {
        return lastForceNanos;
    }

    long first() {
        return first;
    }

    /** Index of the last record, 0 when empty. */
    long last() {
        return count == 0 ? 0 : first + count - 1;
    }

    /** Bytes of sound records. */
    long size() {
        return end;
    }

    /**
     * Appends {@code entries} as indexes {@code index, index+1, ...}. A record at or after
     * {@code index} is overwritten (Raft §5.3: a conflicting suffix is replaced). One write and at
     * most one force for the batch.
     */
    void append(long index, LogEntries entries) throws IOException {
        reopenIfInterrupted();
        if (count > 0 && index <= last()) {
            truncateFrom(index);
        }
        if (count > 0 && index != last() + 1) {
            throw new IllegalStateException("append at " + index + " leaves a gap after " + last() + " in " + path);
        }
        int bytes = 0;
        for (LogEntry e : entries) {
            bytes += LogRecord.size(e.command() == null ? -1 : e.length());
        }
        ByteBuffer buf = buffer(bytes);
        long[] offsets = new long[entries.size()];
        int n = 0;
        long i = index;
        for (LogEntry e : entries) {
            offsets[n++] = end + buf.position();
            LogRecord.write(buf, i++, e.term(), e.internal(), e.command(), e.offset(), e.length());
        }
        buf.flip();
        long at = end;
        try {
            writeAhead(end + bytes);
            while (buf.hasRemaining()) {
                at += channel.write(buf, at);
            }
            lastForceNanos = -1;
            if (fsync) {
                long forcing = System.nanoTime();
                channel.force(false);
                lastForceNanos = System.nanoTime() - forcing;
            }
        } catch (IOException e) {
            // the batch is not stored: no partial record may stay behind the sound ones
            try {
                channel.truncate(end);
                allocated = end;
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        if (count == 0) {
            first = index;
        }
        for (long o : offsets) {
            addPosition(o);
        }
        end = at;
        allocated = Math.max(allocated, end); // the records may have grown the file past the zeros (see writeAhead)
    }

    /**
     * Makes the file at least {@code size} bytes long by writing zeros, {@link #WRITE_AHEAD} at a
     * time. Appends then overwrite blocks that already exist, so the batch's {@code fdatasync} has
     * no file size to journal (on ext4 a size change costs a journal commit per batch, measured
     * ~10-20% with three logs on one disk); the zeros go out with the next force. {@link #scan}
     * reads zeros after the records as the end of the log.
     */
    private void writeAhead(long size) throws IOException {
        if (size <= allocated) {
            return;
        }
        long target = Math.max(size, allocated + WRITE_AHEAD);
        ByteBuffer zeros = ZEROS.duplicate(); // shared, never written to: no 1 MiB allocation per growth
        long at = allocated;
        try {
            while (at < target) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), target - at));
                at += channel.write(zeros, at);
            }
        } catch (IOException e) {
            // no room for the zeros (a nearly full disk): give them back; the records may still fit
            // and then extend the file themselves (append then moves allocated past them, so the
            // next zeros never overwrite a record). Never a fault of its own: the write decides.
            channel.truncate(allocated);
            return;
        }
        allocated = target;
    }

    static final int WRITE_AHEAD = 1024 * 1024;

    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(WRITE_AHEAD).asReadOnlyBuffer();

    /**
     * The record at {@code index}, read with one positioned read into the array the returned entry
     * wraps (no further copy), or null when outside [first, last].
     *
     * @throws CorruptRecordException if its checksum or index is wrong
     */
    LogEntry read(long index) throws IOException {
        reopenIfInterrupted();
        if (count == 0 || index < first || index > last()) {
            return null;
        }
        int i = (int) (index - first);
        long from = positions[i];
        long to = i + 1 < count ? positions[i + 1] : end;
        byte[] rec = new byte[(int) (to - from)];
        ByteBuffer b = ByteBuffer.wrap(rec);
        long at = from;
        while (b.hasRemaining()) {
            int r = channel.read(b, at);
            if (r < 0) {
                throw new CorruptRecordException(path, from, index, "file ends inside the record");
            }
            at += r;
        }
        String problem = LogRecord.size(LogRecord.length(rec)) != rec.length
                ? "length field " + LogRecord.length(rec) + " does not match the record's size " + rec.length
                : LogRecord.problem(rec, index);
        if (problem != null) {
            throw new CorruptRecordException(path, from, index, problem);
        }
        int len = LogRecord.length(rec);
        byte[] command = len < 0 ? null : rec;
        return new LogEntry(LogRecord.term(rec), command, LogRecord.HEADER, Math.max(len, 0), LogRecord.internal(rec));
    }

    /** File offset of the record at {@code index}; {@code index} must be in [first, last]. */
    long offsetOf(long index) {
        return positions[(int) (index - first)];
    }

    /** Cuts the file after the last sound record (after {@link #open} reported damage). */
    void cutToSound() throws IOException {
        channel.truncate(end);
        allocated = end;
        channel.force(true);
    }

    /** Removes the records at {@code index} and after (forced to disk when fsync is on). */
    void truncateFrom(long index) throws IOException {
        reopenIfInterrupted();
        if (count == 0 || index > last()) {
            return;
        }
        long cut = index <= first ? 0 : offsetOf(index);
        channel.truncate(cut);
        allocated = cut;
        if (fsync) {
            channel.force(true);
        }
        count = index <= first ? 0 : (int) (index - first);
        if (count == 0) {
            first = 0;
        }
        end = cut;
    }

    /** Removes the records before {@code index} (which must be in [first, last]) by rewriting the file. */
    void dropBefore(long index) throws IOException {
        reopenIfInterrupted();
        if (count == 0 || index <= first) {
            return;
        }
        long from = offsetOf(index);
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long copied = 0;
            while (copied < end - from) {
                copied += channel.transferTo(from + copied, end - from - copied, out);
            }
            out.force(true);
        }
        replaceWith(tmp);
        int dropped = (int) (index - first);
        for (int i = dropped; i < count; i++) {
            positions[i - dropped] = positions[i] - from;
        }
        count -= dropped;
        first = index;
        end -= from;
    }

    /** Replaces the whole file with the one record {@code entry} at {@code index}. */
    void reset(long index, LogEntry entry) throws IOException {
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        ByteBuffer buf = buffer(LogRecord.size(entry.command() == null ? -1 : entry.length()));
        LogRecord.write(buf, index, entry.term(), entry.internal(), entry.command(), entry.offset(), entry.length());
        buf.flip();
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            out.force(true);
        }
        replaceWith(tmp);
        count = 0;
        first = index;
        addPosition(0);
        end = channel.size();
    }

    /** Renames {@code tmp} over the file, forces the directory entry and reopens the channel. */
    private void replaceWith(Path tmp) throws IOException {
        channel.close();
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Durable.forceDirectory(path.getParent());
        channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        allocated = channel.size();
    }

    private void addPosition(long offset) {
        if (count == positions.length) {
            positions = Arrays.copyOf(positions, positions.length * 2);
        }
        positions[count++] = offset;
    }

    private ByteBuffer buffer(int bytes) {
        if (writeBuffer.capacity() < bytes) {
            writeBuffer = ByteBuffer.allocateDirect(Math.max(bytes, writeBuffer.capacity() * 2));
        }
        return writeBuffer.clear();
    }

    /**
     * A FileChannel is interruptible: an interrupt of the thread in the middle of a read or write
     * closes it for good (seen at shutdown: jgroups-raft's runner interrupted while reading), and
     * every later call would fail until a restart. Opens it again, unless {@link #close} shut it.
     */
    private void reopenIfInterrupted() throws IOException {
        if (channel != null && !channel.isOpen() && !closed) {
            org.slf4j.LoggerFactory.getLogger(EntryFile.class).warn("{} was closed by an interrupted read or write; reopening it",
                    path);
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        if (channel != null) {
            channel.close();
        }
    }
}
