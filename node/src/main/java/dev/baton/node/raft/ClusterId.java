package dev.baton.node.raft;

import dev.baton.node.CorruptStorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Which cluster a data directory belongs to, stored in {@code <data-dir>/cluster-id.crc}. The
 * JGroups cluster name is derived from it ({@link #channelName}), and JGroups drops every message
 * of another cluster name, so a node whose data belongs to another cluster never joins the view.
 *
 * <p>A data directory without the file has the {@link #DEFAULT} id, whose channel name is the
 * historical {@code "baton"}: directories and clusters made before this file existed keep working.
 * Only {@code baton snapshot restore} and {@code --force-new-cluster} write one.
 *
 * <pre>
 * offset 0 int magic "BCID" | 4 int format version 1 | 8 int length | 12 id (UTF-8) | int CRC32C of all before
 * </pre>
 */
public record ClusterId(String value) {

    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}"); // before DEFAULT: it checks it
    private static final int MAGIC = 0x4243_4944; // "BCID"
    private static final int VERSION = 1;

    public static final String FILE = "cluster-id.crc";
    /** The id of a data directory without {@link #FILE}. */
    public static final ClusterId DEFAULT = new ClusterId("default");
    private static final SecureRandom RANDOM = new SecureRandom();

    public ClusterId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("a cluster id is 1-64 characters a-z, 0-9 and '-', not '" + value + "'");
        }
    }

    /** The JGroups cluster name: {@code "baton"} for the default id, else {@code "baton-<id>"}. */
    public String channelName() {
        return isDefault() ? "baton" : "baton-" + value;
    }

    public boolean isDefault() {
        return equals(DEFAULT);
    }

    /** A new id no other cluster has (64 random bits): for {@code --force-new-cluster}. */
    public static ClusterId random() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return new ClusterId(HexFormat.of().formatHex(b));
    }

    /**
     * The id every member restored from the same backup with the same members derives by itself:
     * a hash of the backup's checksum and the sorted member ids, so they agree without talking, and
     * differ from the cluster the backup came from (and from a restore with other members).
     */
    public static ClusterId derived(int backupChecksum, List<String> memberIds) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ByteBuffer.allocate(4).putInt(backupChecksum).array());
            for (String id : memberIds.stream().sorted().toList()) {
                sha.update(id.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return new ClusterId("r" + HexFormat.of().formatHex(sha.digest(), 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /**
     * The id stored in {@code dataDir}, or {@link #DEFAULT} if there is none.
     *
     * @throws CorruptStorageException naming the file if it is damaged
     */
    public static ClusterId read(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            return DEFAULT;
        }
        try {
            return decode(Files.readAllBytes(file));
        } catch (IllegalArgumentException e) {
            throw new CorruptStorageException(file + ": " + e.getMessage());
        }
    }

    /** Stores this id in {@code dataDir} (created if missing): forced, renamed into place, directory forced. */
    public void write(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE);
        Path tmp = dataDir.resolve(FILE + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(encode());
            while (b.hasRemaining()) {
                out.write(b);
            }
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Durable.forceDirectory(dataDir);
    }

    byte[] encode() {
        byte[] id = value.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(12 + id.length + 4);
        b.putInt(MAGIC).putInt(VERSION).putInt(id.length).put(id);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** @throws IllegalArgumentException saying what is wrong with {@code bytes} */
    static ClusterId decode(byte[] bytes) {
        if (bytes.length < 16) {
            throw new IllegalArgumentException("truncated: " + bytes.length + " bytes, a cluster id file has at least 16");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.getInt(0) != MAGIC) {
            throw new IllegalArgumentException("not a cluster id file (bad magic number)");
        }
        if (b.getInt(4) != VERSION) {
            throw new IllegalArgumentException("cluster id format version " + b.getInt(4) + ", this build reads " + VERSION);
        }
        int length = b.getInt(8);
        if (length < 0 || length != bytes.length - 16) {
            throw new IllegalArgumentException("length field " + length + " but " + (bytes.length - 16) + " id bytes");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, 12 + length);
        if ((int) crc.getValue() != b.getInt(12 + length)) {
            throw new IllegalArgumentException("checksum mismatch");
        }
        return new ClusterId(new String(bytes, 12, length, StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return value;
    }
}
