package dev.baton.node.backup;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The format of a backup ({@code baton snapshot save}): a small versioned header, the state
 * machine's content ({@code KvStateMachine.writeSnapshot}) and a CRC32C over everything before it.
 * Pure: bytes in, bytes out.
 *
 * <pre>
 * int magic "BTBK" | int format version 1 | long Raft index | long Raft term | long taken at (epoch ms)
 * | short length + UTF-8 cluster id | long content length | content | int CRC32C of all the bytes before it
 * </pre>
 */
public final class BackupFile {

    static final int MAGIC = 0x4254_424b; // "BTBK"
    static final int VERSION = 1;
    /** Magic, version, index, term, taken-at, id length, content length, CRC: a file is never shorter. */
    static final int MIN_SIZE = 4 + 4 + 8 + 8 + 8 + 2 + 8 + 4;

    /**
     * A verified backup.
     *
     * @param index the Raft log index the state was taken at
     * @param term the term of that log entry
     * @param clusterId the cluster it was taken from
     * @param takenAtMs the ACTIVE's wall clock when it was taken
     * @param content the state machine's content
     * @param checksum the CRC32C stored at the end of the file
     */
    public record Backup(long index, long term, String clusterId, long takenAtMs, byte[] content, int checksum) {}

    private BackupFile() {}

    public static byte[] encode(long index, long term, String clusterId, long takenAtMs, byte[] content) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(MIN_SIZE + 64 + content.length);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(index);
            out.writeLong(term);
            out.writeLong(takenAtMs);
            out.writeUTF(clusterId);
            out.writeLong(content.length);
            out.write(content);
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory does not fail", e);
        }
    }

    /**
     * Verifies and parses a backup.
     *
     * @throws BackupFormatException saying what is wrong (not a backup, another version, truncated, damaged)
     */
    public static Backup decode(byte[] all) {
        if (all.length < 8) {
            throw new BackupFormatException("truncated: " + all.length + " bytes, a backup has at least " + MIN_SIZE);
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        if (b.getInt() != MAGIC) {
            throw new BackupFormatException("not a Baton backup (bad magic number)");
        }
        int version = b.getInt();
        if (version != VERSION) {
            throw new BackupFormatException("backup format version " + version + "; this build reads version " + VERSION);
        }
        if (all.length < MIN_SIZE) {
            throw new BackupFormatException("truncated: " + all.length + " bytes, a backup has at least " + MIN_SIZE);
        }
        // the checksum first: a damaged length field must read as damage, not as a strange size
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        int stored = b.getInt(all.length - 4);
        if ((int) crc.getValue() != stored) {
            throw new BackupFormatException(String.format(
                    "checksum mismatch (stored %08x, computed %08x): the file is damaged or truncated", stored,
                    (int) crc.getValue()));
        }
        try {
            long index = b.getLong();
            long term = b.getLong();
            long takenAt = b.getLong();
            byte[] id = new byte[Short.toUnsignedInt(b.getShort())];
            b.get(id);
            long length = b.getLong();
            if (length != b.remaining() - 4) {
                throw new BackupFormatException("content length field " + length + " but " + (b.remaining() - 4)
                        + " content bytes");
            }
            byte[] content = new byte[(int) length];
            b.get(content);
            return new Backup(index, term, new String(id, StandardCharsets.UTF_8), takenAt, content, stored);
        } catch (BufferUnderflowException e) {
            throw new BackupFormatException("malformed header: the fields run past the end of the file");
        }
    }
}
