package dev.baton.chaos;

import dev.baton.client.BatonClient;
import dev.baton.client.BatonException;
import dev.baton.it.DiskFaults;
import dev.baton.it.Http;
import dev.baton.it.NodeProcess;
import dev.baton.it.TestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The disk faults of a chaos run on live nodes: {@code DISK_FULL} and {@code LOG_UNWRITABLE}, each
 * injected, held and healed by one call, with a {@link HealthSampler} on every target meanwhile.
 * Driven by the nemesis thread.
 *
 * <p>Layout: half the nodes (rounded up, chosen by the seed) have a tmpfs of {@link #TMPFS_KIB} as
 * data dir for the whole run, which a DISK_FULL shrinks to what it holds; the others keep theirs on
 * the machine's disk, where LOG_UNWRITABLE sets {@code chattr +i} on the log file. Not both on one
 * file system: tmpfs ignores the immutable flag for a file that is already open (measured on Linux
 * 6.18: pwrite and ftruncate of the node's open {@code entries.crc} still succeed), and the disk
 * cannot be filled without filling the machine.
 *
 * <p>A shrunk tmpfs does not fail the next small write: the log writes 1 MiB of zeros ahead of its
 * records and overwrites them, so the chaos workload's short values would take minutes to reach
 * the end. The fault therefore also writes a few {@link #BALLAST_BYTES} values to a key of its own
 * until every target has logged its storage fault, as a big upload would fill a real disk.
 *
 * <p>{@link #healEverything()} undoes whatever is still in force; {@link #close()} (after the nodes
 * have stopped) unmounts.
 */
final class DiskNemesis implements AutoCloseable {

    static final long TMPFS_KIB = 64 * 1024;
    /** Room left on a "full" tmpfs: less than the node's 64 KiB write probe, far less than one ballast value. */
    static final long HEADROOM_KIB = 16;
    static final int BALLAST_BYTES = 200_000;
    private static final int MAX_BALLAST_WRITES = 16; // 3.2 MB: more than 1 MiB of zeros written ahead, per target
    static final String BALLAST_KEY = "chaos/ballast";

    /** What one fault did: its description and when it was healed ({@link System#nanoTime()}). */
    record Held(String what, long healNanos) {}

    private final TestCluster cluster;
    private final List<String> keys;
    private final DiskFaults disks = new DiskFaults();
    private final Http http;
    private final Set<NodeProcess> tmpfs;
    private final Set<NodeProcess> full = new LinkedHashSet<>(); // shrunk, not yet given back
    private final Set<Path> locked = new LinkedHashSet<>(); // immutable, not yet cleared
    private final List<SickNodeChecker.Watch> watches = new ArrayList<>();
    private final List<ValueOriginChecker.Served> served = new ArrayList<>();
    private BatonClient ballast;

    /** {@code keys}: the workload's keys, read stale from the targets during a fault. */
    DiskNemesis(TestCluster cluster, long seed, List<String> keys) {
        this.cluster = cluster;
        this.http = cluster.http();
        this.keys = List.copyOf(keys);
        List<NodeProcess> order = new ArrayList<>(cluster.nodes());
        Collections.shuffle(order, new java.util.Random(seed ^ 0x5eed_d15cL)); // not the nemesis's stream: its schedule stays
        this.tmpfs = new LinkedHashSet<>(order.subList(0, (order.size() + 1) / 2));
    }

    /** Mounts the tmpfs data dirs; before the nodes start. */
    void mountDataDirs() {
        for (NodeProcess n : onTmpfs()) {
            io(() -> {
                disks.mountTmpfs(n.dataDir(), TMPFS_KIB);
                return null;
            });
        }
        System.out.printf("[chaos] disks: tmpfs data dirs (DISK_FULL) %s, on the disk (LOG_UNWRITABLE) %s%n",
                ids(onTmpfs()), ids(onDisk()));
    }

    List<NodeProcess> onTmpfs() {
        return cluster.nodes().stream().filter(tmpfs::contains).toList();
    }

    List<NodeProcess> onDisk() {
        return cluster.nodes().stream().filter(n -> !tmpfs.contains(n)).toList();
    }

    /** The samples of every disk fault so far, for {@link SickNodeChecker}. */
    List<SickNodeChecker.Watch> watches() {
        return watches;
    }

    /** Stale reads answered by faulted nodes, for {@link ValueOriginChecker}. */
    List<ValueOriginChecker.Served> served() {
        return served;
    }

    /** Shrinks the targets' tmpfs to their use, writes ballast until each logged its fault, holds, gives the room back. */
    Held full(int number, List<NodeProcess> targets, long holdMillis) throws InterruptedException {
        long end = System.nanoTime() + holdMillis * 1_000_000;
        List<HealthSampler> samplers = watch(number, Fault.Kind.DISK_FULL, targets);
        List<String> sizes = new ArrayList<>();
        for (NodeProcess t : targets) {
            full.add(t);
            sizes.add(t.id() + " " + io(() -> disks.fillUp(t.dataDir(), HEADROOM_KIB)) + " KiB");
        }
        String filled = writeBallast(targets, samplers, end);
        sleepUntil(end);
        for (NodeProcess t : targets) {
            io(() -> {
                disks.resize(t.dataDir(), TMPFS_KIB);
                return null;
            });
            full.remove(t);
        }
        long heal = System.nanoTime();
        String bit = finish(number, targets, samplers);
        return new Held("tmpfs shrunk to " + sizes + ", " + filled + ", given back after " + holdMillis + " ms; " + bit, heal);
    }

    /** {@code chattr +i} on each target's entries file, held, cleared. */
    Held unwritableLog(int number, List<NodeProcess> targets, long holdMillis) throws InterruptedException {
        List<HealthSampler> samplers = watch(number, Fault.Kind.LOG_UNWRITABLE, targets);
        for (NodeProcess t : targets) {
            Path f = entriesFile(t);
            locked.add(f);
            io(() -> {
                disks.makeImmutable(f);
                return null;
            });
        }
        Thread.sleep(holdMillis);
        for (NodeProcess t : targets) {
            Path f = entriesFile(t);
            io(() -> {
                disks.makeMutable(f);
                return null;
            });
            locked.remove(f);
        }
        long heal = System.nanoTime();
        String bit = finish(number, targets, samplers);
        return new Held("chattr +i entries.crc for " + holdMillis + " ms; " + bit, heal);
    }

    static Path entriesFile(NodeProcess node) {
        return node.raftFile("entries.crc");
    }

    /** Gives back every tmpfs still shrunk and clears every flag still set; what it undid. */
    List<String> healEverything() {
        List<String> undone = new ArrayList<>();
        for (NodeProcess t : List.copyOf(full)) {
            try {
                disks.resize(t.dataDir(), TMPFS_KIB);
                undone.add("gave " + t.id() + "'s tmpfs its room back");
            } catch (IOException e) {
                undone.add("could not give " + t.id() + "'s tmpfs its room back: " + e.getMessage());
            }
            full.remove(t);
        }
        for (Path f : List.copyOf(locked)) {
            try {
                disks.makeMutable(f);
                undone.add("made " + f + " writable");
            } catch (IOException e) {
                undone.add("could not make " + f + " writable: " + e.getMessage());
            }
            locked.remove(f);
        }
        return undone;
    }

    /** Unmounts the data dirs: only after the nodes have stopped. */
    @Override
    public void close() {
        if (ballast != null) {
            ballast.close();
        }
        disks.close();
    }

    private List<HealthSampler> watch(int number, Fault.Kind kind, List<NodeProcess> targets) {
        return targets.stream().map(t -> new HealthSampler(t, http, keys, "fault " + number + " " + kind)).toList();
    }

    /** Stops the samplers and files their samples; says which targets logged a storage fault. */
    private String finish(int number, List<NodeProcess> targets, List<HealthSampler> samplers) throws InterruptedException {
        List<String> sick = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            HealthSampler s = samplers.get(i);
            s.stop();
            watches.add(new SickNodeChecker.Watch(number, targets.get(i).id(), s.logStart(), s.samples()));
            served.addAll(s.served());
            sick.add(targets.get(i).id() + (loggedFault(targets.get(i), s.logStart()) ? " logged a storage fault"
                    : " logged NO storage fault"));
        }
        return String.join(", ", sick);
    }

    /** Ballast writes until every target has logged its storage fault, at most until {@code end}. */
    private String writeBallast(List<NodeProcess> targets, List<HealthSampler> samplers, long end) {
        if (ballast == null) {
            ballast = cluster.clientBuilder().requestTimeout(Duration.ofSeconds(1))
                    .deadline(Duration.ofSeconds(3)).clientId("chaos-ballast").build();
        }
        int ok = 0;
        int failed = 0;
        for (int i = 0; i < MAX_BALLAST_WRITES && System.nanoTime() < end; i++) {
            boolean all = true;
            for (int j = 0; j < targets.size(); j++) {
                all &= loggedFault(targets.get(j), samplers.get(j).logStart());
            }
            if (all) {
                break;
            }
            try {
                ballast.put(BALLAST_KEY, Character.toString('a' + i % 26).repeat(BALLAST_BYTES));
                ok++;
            } catch (BatonException e) {
                failed++;
            }
        }
        return "ballast writes ok " + ok + ", failed " + failed;
    }

    private static boolean loggedFault(NodeProcess node, long since) {
        try {
            byte[] log = Files.readAllBytes(node.logFile());
            int from = (int) Math.min(since, log.length);
            return new String(log, from, log.length - from, StandardCharsets.ISO_8859_1).contains(SickNodeChecker.FAULT_LINE);
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleepUntil(long end) throws InterruptedException {
        long left = end - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000);
        }
    }

    private interface IoStep<T> {
        T run() throws IOException;
    }

    /** A mount or chattr that fails leaves the run without its fault: that is a broken test machine, not a finding. */
    private static <T> T io(IoStep<T> step) {
        try {
            return step.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> ids(List<NodeProcess> nodes) {
        return nodes.stream().map(NodeProcess::id).toList();
    }
}
