package dev.baton.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Real disk faults for node processes: a small tmpfs mounted on a node's data directory (a disk
 * that fills up, and is given room again by remounting it larger), and the immutable flag ({@code
 * chattr +i}) on a file (writes fail with EPERM). Needs root; check {@link #unavailableReason()}
 * and skip visibly when it is present. The one disk-fault helper of the integration tests and the
 * chaos nemesis.
 *
 * <p>{@link #close()} undoes everything this instance did (flags cleared, mounts unmounted, lazily
 * if a process still holds them); a shutdown hook does the same if the JVM exits first. Unmount
 * only after the nodes using the directory have stopped: {@link TestCluster#close()} first.
 */
public final class DiskFaults implements AutoCloseable {

    private static final Set<DiskFaults> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(DiskFaults::close), "baton-it-disk-undo"));
    }

    private final Set<Path> mounts = new LinkedHashSet<>();
    private final Set<Path> immutable = new LinkedHashSet<>();

    public DiskFaults() {
        OPEN.add(this);
    }

    /** Null when this process can mount tmpfs and set the immutable flag, else why not (for a JUnit assumption). */
    public static String unavailableReason() {
        try {
            Result id = run(List.of("id", "-u"));
            if (!"0".equals(id.out().strip())) {
                return "disk faults need root (tmpfs mounts, chattr); running as uid " + id.out().strip();
            }
            for (String tool : List.of("mount", "umount", "chattr", "lsattr")) {
                if (run(List.of("sh", "-c", "command -v " + tool)).code() != 0) {
                    return tool + " is not installed";
                }
            }
            return null;
        } catch (IOException e) {
            return "cannot run mount/chattr: " + e.getMessage();
        }
    }

    /** Mounts a tmpfs of {@code sizeKiB} on {@code dir} (created if missing; must be empty). */
    public synchronized void mountTmpfs(Path dir, long sizeKiB) throws IOException {
        Files.createDirectories(dir);
        exec(List.of("mount", "-t", "tmpfs", "-o", "size=" + sizeKiB + "k", "baton-it", dir.toString()));
        mounts.add(dir);
        System.out.printf("[it] disk: tmpfs of %d KiB on %s%n", sizeKiB, dir);
    }

    /** Gives a mounted tmpfs a new size: larger gives a full disk room again, without touching the files. */
    public synchronized void resize(Path dir, long sizeKiB) throws IOException {
        exec(List.of("mount", "-o", "remount,size=" + sizeKiB + "k", dir.toString()));
        System.out.printf("[it] disk: tmpfs on %s now %d KiB%n", dir, sizeKiB);
    }

    /**
     * Shrinks the tmpfs on {@code dir} to what its files use plus {@code headroomKiB}, so that the
     * next writes past that fail with ENOSPC; returns the new size. Space a file already holds
     * (e.g. zeros a log wrote ahead) stays writable: the fault bites once that is used up. A write
     * between measuring and remounting can make the size too small, which tmpfs refuses (EINVAL):
     * measured again, at most three times.
     */
    public synchronized long fillUp(Path dir, long headroomKiB) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            long size = usedKiB(dir) + headroomKiB * (attempt + 1);
            try {
                resize(dir, size);
                return size;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    /** KiB in use on the file system of {@code dir} (whole pages, as tmpfs counts them). */
    public static long usedKiB(Path dir) throws IOException {
        java.nio.file.FileStore store = Files.getFileStore(dir);
        return (store.getTotalSpace() - store.getUnallocatedSpace() + 1023) / 1024;
    }

    /** Bytes free on the file system of {@code dir}. */
    public static long freeBytes(Path dir) throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    /** Sets the immutable flag on {@code file}: every write, even through a file already open, fails. */
    public synchronized void makeImmutable(Path file) throws IOException {
        exec(List.of("chattr", "+i", file.toString()));
        immutable.add(file);
        System.out.printf("[it] disk: %s is immutable%n", file);
    }

    /** Clears the immutable flag set by {@link #makeImmutable}. */
    public synchronized void makeMutable(Path file) throws IOException {
        exec(List.of("chattr", "-i", file.toString()));
        immutable.remove(file);
        System.out.printf("[it] disk: %s is writable again%n", file);
    }

    /** Undoes every flag and mount of this instance (idempotent; failures are printed, not thrown). */
    @Override
    public synchronized void close() {
        for (Path f : new ArrayList<>(immutable)) {
            try {
                makeMutable(f);
            } catch (IOException | RuntimeException e) {
                System.out.println("[it] disk: " + e.getMessage());
            }
        }
        for (Path dir : new ArrayList<>(mounts)) {
            try {
                exec(List.of("umount", dir.toString()));
            } catch (IOException | RuntimeException e) {
                try {
                    exec(List.of("umount", "-l", dir.toString())); // still held by a process: detach now
                } catch (IOException | RuntimeException e2) {
                    System.out.println("[it] disk: " + e2.getMessage());
                }
            }
            mounts.remove(dir);
            System.out.printf("[it] disk: %s unmounted%n", dir);
        }
        OPEN.remove(this);
    }

    private record Result(int code, String out) {}

    private static void exec(List<String> cmd) throws IOException {
        Result r = run(cmd);
        if (r.code() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (" + r.code() + "): " + r.out().strip());
        }
    }

    private static Result run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
