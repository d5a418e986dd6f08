package dev.baton.node.raft;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of one log entry in {@link EntryFile}, with its CRC32C.
 *
 * <pre>
 * offset  0  int   length   payload bytes; -1 for an entry without command (jgroups-raft's dummy
 *                           entry after a snapshot is installed, {@code new LogEntry(term, null)})
 *         4  int   crc      CRC32C of bytes 0..3 and 8..end: length, index, term, flags, payload
 *         8  long  index
 *        16  long  term
 *        24  byte  flags    bit 0: internal (a jgroups-raft InternalCommand)
 *        25  payload
 * </pre>
 *
 * The checksum covers the index and term too, so an entry read from the wrong place or with a
 * flipped term is detected like a changed value. Big-endian, as {@link ByteBuffer}'s default.
 */
final class LogRecord {

    static final int HEADER = 25;
    static final byte INTERNAL = 1;
    /** No entry is longer: a larger length can only be a damaged header. */
    static final int MAX_PAYLOAD = 64 * 1024 * 1024;

    private LogRecord() {}

    /** Bytes a record with {@code payloadLength} (-1: no command) takes on disk. */
    static int size(int payloadLength) {
        return HEADER + Math.max(payloadLength, 0);
    }

    /**
     * Writes one record at {@code buf}'s position and advances it; {@code command} null writes a
     * record without command.
     */
    static void write(ByteBuffer buf, long index, long term, boolean internal, byte[] command, int offset, int length) {
        int start = buf.position();
        int len = command == null ? -1 : length;
        buf.putInt(len).putInt(0).putLong(index).putLong(term).put(internal ? INTERNAL : 0);
        if (len > 0) {
            buf.put(command, offset, len);
        }
        int end = buf.position();
        CRC32C crc = new CRC32C();
        ByteBuffer view = buf.duplicate();
        crc.update(view.limit(start + 4).position(start));
        crc.update(view.limit(end).position(start + 8));
        buf.putInt(start + 4, (int) crc.getValue());
    }

    /** The checksum the record in {@code rec[0..length)} should carry. */
    static int crcOf(byte[] rec, int length) {
        CRC32C crc = new CRC32C();
        crc.update(rec, 0, 4);
        crc.update(rec, 8, length - 8);
        return (int) crc.getValue();
    }

    static int length(byte[] rec) {
        return ByteBuffer.wrap(rec).getInt(0);
    }

    static int storedCrc(byte[] rec) {
        return ByteBuffer.wrap(rec).getInt(4);
    }

    static long index(byte[] rec) {
        return ByteBuffer.wrap(rec).getLong(8);
    }

    static long term(byte[] rec) {
        return ByteBuffer.wrap(rec).getLong(16);
    }

    static boolean internal(byte[] rec) {
        return (rec[24] & INTERNAL) != 0;
    }

    /**
     * What is wrong with the complete record {@code rec} that should hold {@code expectedIndex}
     * (0: any), or null if it is sound.
     */
    static String problem(byte[] rec, long expectedIndex) {
        int stored = storedCrc(rec);
        int actual = crcOf(rec, rec.length);
        if (stored != actual) {
            return String.format("checksum mismatch (stored %08x, computed %08x)", stored, actual);
        }
        long index = index(rec);
        if (expectedIndex > 0 && index != expectedIndex) {
            return "holds index " + index + " where " + expectedIndex + " belongs";
        }
        if (index <= 0 || term(rec) <= 0) {
            return "index " + index + " / term " + term(rec) + " not positive";
        }
        return null;
    }
}
