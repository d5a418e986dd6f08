package dev.baton.node.raft;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** File-system calls that make a rename survive a crash. */
final class Durable {

    private Durable() {}

    /**
     * Forces a directory's entries to disk, so a file renamed into it is still there after a power
     * loss (POSIX: the rename is durable only once the directory is fsynced). Linux allows opening
     * a directory for reading and forcing it.
     */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Writes 64 KiB to a probe file in {@code dir}, forces it and deletes it: whether the directory
     * takes new data again (room on the disk, writable).
     */
    static void probeWritable(Path dir) throws IOException {
        Path probe = dir.resolve(".write-probe");
        try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(64 * 1024);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } finally {
            Files.deleteIfExists(probe);
        }
    }
}
