package dev.baton.node.raft;

import dev.baton.node.CorruptStorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The snapshot jgroups-raft hands to {@code Log.setSnapshot} (its internal state followed by the
 * state machine's {@code writeContentTo}), stored with the log index and term it covers and a
 * CRC32C, always forced to disk and atomically renamed into place.
 *
 * <pre>
 * offset 0 int magic "BSN1" | 4 long index | 12 long term | 20 int length | 24 int crc | 28 payload
 * </pre>
 * The CRC32C covers bytes 4..23 and the payload. A snapshot that fails it is never returned.
 */
final class SnapshotFile {

    static final String NAME = "snapshot.crc";
    private static final int MAGIC = 0x42534e31; // "BSN1"
    private static final int HEADER = 28;

    /** A verified snapshot: what it covers and jgroups-raft's bytes. */
    record Snapshot(long index, long term, byte[] data) {}

    private final Path path;

    SnapshotFile(Path dir) {
        this.path = dir.resolve(NAME);
    }

    Path path() {
        return path;
    }

    boolean exists() {
        return Files.exists(path);
    }

    /** Writes, forces and renames into place; on return the snapshot survives a crash. */
    void write(long index, long term, ByteBuffer data) throws IOException {
        ByteBuffer payload = data.duplicate();
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        header.putInt(MAGIC).putLong(index).putLong(term).putInt(payload.remaining()).putInt(0);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 4, 20);
        crc.update(payload.duplicate());
        header.putInt(24, (int) crc.getValue()).position(0);
        Path tmp = path.resolveSibling(NAME + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer[] parts = {header, payload};
            while (payload.hasRemaining() || header.hasRemaining()) {
                out.write(parts);
            }
            out.force(true);
        } catch (IOException e) {
            // a full disk: give the space of the partial copy back at once (it would only grow at the next try)
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Durable.forceDirectory(path.getParent());
    }

    /**
     * The stored snapshot, verified; null if there is none.
     *
     * @throws CorruptStorageException naming the file if it fails its checksum or is malformed
     */
    Snapshot read() throws IOException {
        if (!Files.exists(path)) {
            return null;
        }
        byte[] all = Files.readAllBytes(path);
        if (all.length < HEADER) {
            throw corrupt(0, "shorter (" + all.length + " bytes) than its header");
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        if (b.getInt(0) != MAGIC) {
            throw corrupt(0, "bad magic number");
        }
        long index = b.getLong(4);
        long term = b.getLong(12);
        int length = b.getInt(20);
        if (length < 0 || length != all.length - HEADER) {
            throw corrupt(20, "length field " + length + " but " + (all.length - HEADER) + " payload bytes");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 4, 20);
        crc.update(all, HEADER, length);
        if ((int) crc.getValue() != b.getInt(24)) {
            throw corrupt(HEADER, String.format("checksum mismatch (stored %08x, computed %08x)", b.getInt(24),
                    (int) crc.getValue()));
        }
        byte[] data = new byte[length];
        System.arraycopy(all, HEADER, data, 0, length);
        return new Snapshot(index, term, data);
    }

    void delete() throws IOException {
        Files.deleteIfExists(path);
    }

    private CorruptStorageException corrupt(long offset, String problem) {
        return new CorruptStorageException(path + ": snapshot at byte offset " + offset + " is corrupt: " + problem);
    }
}
