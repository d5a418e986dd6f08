package dev.baton.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Network partitions between node processes with {@code iptables -j DROP} on their loopback
 * addresses (both directions). Needs root and a working iptables: check {@link #unavailableReason()}
 * first and skip visibly when it is present.
 *
 * <p>Every rule carries the comment {@code baton-it-<pid>-<n>} of the partition that added it, and
 * {@link #heal()} deletes exactly those rules. Rules not yet removed when the JVM exits are removed
 * by a shutdown hook, so a failed or interrupted test does not leave the machine partitioned.
 * Thread-safe.
 */
public final class NetworkPartition implements AutoCloseable {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final Set<NetworkPartition> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(NetworkPartition::heal), "baton-it-heal"));
    }

    private final String tag = "baton-it-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet();
    private final List<List<String>> rules = new ArrayList<>();

    /** Null when this process can add iptables rules, else why not (for a JUnit assumption). */
    public static String unavailableReason() {
        try {
            Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!"0".equals(uid)) {
                return "network partitions need root (iptables); running as uid " + uid;
            }
            Result r = run(List.of("iptables", "-S", "INPUT"));
            return r.exitCode() == 0 ? null : "iptables does not work here: " + r.output().trim();
        } catch (IOException e) {
            return "iptables not available: " + e.getMessage();
        }
    }

    /** Cuts every node of {@code side} off from every node of {@code rest}, both directions. */
    public static NetworkPartition isolate(Collection<NodeProcess> side, Collection<NodeProcess> rest) {
        NetworkPartition p = new NetworkPartition();
        OPEN.add(p);
        try {
            for (NodeProcess a : side) {
                for (NodeProcess b : rest) {
                    p.drop(a.host(), b.host());
                    p.drop(b.host(), a.host());
                }
            }
        } catch (RuntimeException e) {
            p.heal();
            throw e;
        }
        System.out.printf("[it] partition %s: %s | %s%n", p.tag, side, rest);
        return p;
    }

    /** Cuts {@code node} off from every other node of {@code cluster}. */
    public static NetworkPartition isolate(TestCluster cluster, NodeProcess node) {
        return isolate(List.of(node), cluster.others(node));
    }

    private synchronized void drop(String src, String dst) {
        List<String> rule = List.of("INPUT", "-s", src, "-d", dst, "-m", "comment", "--comment", tag, "-j", "DROP");
        List<String> cmd = new ArrayList<>(List.of("iptables", "-I"));
        cmd.addAll(rule);
        Result r = runUnchecked(cmd);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + r.output());
        }
        rules.add(rule);
    }

    /** Removes this partition's rules (idempotent). Also sweeps any rule still carrying its tag. */
    public synchronized void heal() {
        for (List<String> rule : rules) {
            List<String> cmd = new ArrayList<>(List.of("iptables", "-D"));
            cmd.addAll(rule);
            Result r = runUnchecked(cmd);
            if (r.exitCode() != 0) {
                System.out.printf("[it] %s failed: %s%n", String.join(" ", cmd), r.output().trim());
            }
        }
        if (!rules.isEmpty()) {
            System.out.printf("[it] partition %s healed (%d rules removed)%n", tag, rules.size());
        }
        rules.clear();
        OPEN.remove(this);
        String left = runUnchecked(List.of("iptables", "-S", "INPUT")).output();
        if (left.contains(tag)) {
            System.out.printf("[it] WARNING: iptables rules tagged %s are still present:%n%s%n", tag, left);
        }
    }

    public String tag() {
        return tag;
    }

    @Override
    public void close() {
        heal();
    }

    private record Result(int exitCode, String output) {}

    private static Result runUnchecked(List<String> cmd) {
        try {
            return run(cmd);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        }
    }

    private static Result run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", cmd));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
        return new Result(p.exitValue(), out);
    }
}
