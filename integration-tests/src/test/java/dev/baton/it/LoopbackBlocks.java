package dev.baton.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback address blocks for test clusters, shared safely by every JVM on this machine. Block k
 * is {@code 127.0.0.<10k+1>..<10k+9>}, k in 2..24 (block 1, 127.0.0.11-19, belongs to
 * scripts/cluster.sh).
 *
 * <p>A block is taken by holding an exclusive {@link FileChannel#tryLock() file lock} on {@code
 * <java.io.tmpdir>/baton-it-block-<k>.lock} until {@link Block#close()} (a cluster's close) or
 * the JVM's exit, when the OS drops the lock even after a SIGKILL. The lock, not a probe of the
 * ports, is what keeps two JVMs (two engineers' runs, a benchmark beside the ITs) off the same
 * block: probing and binding later was racy. Under the lock the ports are still probed, so a block
 * held by something outside this scheme (say node processes of a JVM that was killed) is skipped.
 *
 * <p>Within one JVM, blocks are tried round-robin from the last one taken, so a closed cluster's
 * block is reused only after the others. Thread-safe.
 */
public final class LoopbackBlocks {

    static final int FIRST = 2;
    static final int LAST = 24;
    private static final int[] PORTS = {TestCluster.RAFT_PORT, TestCluster.RAFT_PORT + 100, TestCluster.HTTP_PORT};
    private static final Path LOCK_DIR = Path.of(System.getProperty("java.io.tmpdir"));
    private static final AtomicInteger NEXT = new AtomicInteger(FIRST);

    private LoopbackBlocks() {}

    /** One taken block: its first {@code size} addresses. Closing it lets another cluster take it. */
    public static final class Block implements AutoCloseable {
        private final int number;
        private final List<String> hosts;
        private final FileChannel channel;
        private final FileLock lock;

        private Block(int number, List<String> hosts, FileChannel channel, FileLock lock) {
            this.number = number;
            this.hosts = List.copyOf(hosts);
            this.channel = channel;
            this.lock = lock;
        }

        public List<String> hosts() {
            return hosts;
        }

        /** k of {@code 127.0.0.<10k+1>..}. */
        public int number() {
            return number;
        }

        @Override
        public void close() {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // the lock goes with the JVM at the latest
            }
        }

        @Override
        public String toString() {
            return "block " + number + " (" + hosts.get(0) + "..)";
        }
    }

    /** Takes a free block of {@code size} addresses (1..9); fails when every block is taken. */
    public static Block take(int size) {
        if (size < 1 || size > 9) {
            throw new IllegalArgumentException("size must be 1..9");
        }
        int blocks = LAST - FIRST + 1;
        int start = NEXT.getAndIncrement();
        for (int i = 0; i < blocks; i++) {
            int k = FIRST + Math.floorMod(start - FIRST + i, blocks);
            Block b = tryTake(k, size);
            if (b != null) {
                NEXT.set(k + 1);
                return b;
            }
        }
        throw new IllegalStateException("every loopback block " + FIRST + ".." + LAST + " is taken (lock files in "
                + LOCK_DIR + ")");
    }

    /** Block {@code k} if nobody (this JVM included) holds it and its ports are free, else null. */
    static Block tryTake(int k, int size) {
        FileChannel channel = null;
        try {
            channel = openLockFile(k);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this JVM holds it already
            }
            if (lock == null) {
                channel.close();
                return null;
            }
            List<String> hosts = new ArrayList<>();
            for (int i = 1; i <= size; i++) {
                hosts.add("127.0.0." + (k * 10 + i));
            }
            if (!hosts.stream().allMatch(LoopbackBlocks::portsFree)) {
                System.out.printf("[it] address block %d (%s..) is locked by nobody but its ports are in use: skipped%n",
                        k, hosts.get(0));
                lock.release();
                channel.close();
                return null;
            }
            return new Block(k, hosts, channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing to release
                }
            }
            System.out.printf("[it] address block %d: cannot use its lock file: %s%n", k, e);
            return null;
        }
    }

    private static FileChannel openLockFile(int k) throws IOException {
        Path file = LOCK_DIR.resolve("baton-it-block-" + k + ".lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            // whoever runs next (another user) must be able to open it for writing too
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException | UnsupportedOperationException e) {
            // not the owner, or not POSIX: the file is usable as it is
        }
        return channel;
    }

    private static boolean portsFree(String host) {
        for (int port : PORTS) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
