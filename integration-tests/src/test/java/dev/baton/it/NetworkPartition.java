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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Network partitions between node processes: one tagged {@code iptables -j DROP} rule in {@code
 * INPUT} per direction of a cut link ({@code -s A -d B}). The nodes bind every JGroups socket to
 * their own loopback address, so a rule cuts exactly that link, while HTTP from the test JVM
 * (source 127.0.0.1) still passes. Needs root and a working iptables: check {@link
 * #unavailableReason()} first and skip visibly when it is present. The one iptables helper of the
 * integration tests, the chaos nemesis and the benchmarks.
 *
 * <p>Every rule carries the comment {@link #tag()} ({@code baton-it-<pid>-...}); {@link #heal()}
 * deletes exactly those rules, also any still present with that tag. Rules left when the JVM exits
 * are removed by a shutdown hook, and rules of a JVM that died without running it are swept when
 * the next partition is created, so no rule outlives its test. Thread-safe.
 */
public final class NetworkPartition implements AutoCloseable {

    private static final String TAG_PREFIX = "baton-it-";
    private static final Pattern TAG_PID = Pattern.compile(TAG_PREFIX + "(\\d+)-");
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final Set<NetworkPartition> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(NetworkPartition::heal), "baton-it-heal"));
    }

    private final String tag;
    private final List<String[]> links = new ArrayList<>();

    /** A partition with no cut yet; {@code name} goes into the rules' tag (letters, digits, '-'). */
    public NetworkPartition(String name) {
        this.tag = TAG_PREFIX + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet() + "-" + name;
        removeStale();
        OPEN.add(this);
    }

    /** Null when this process can add iptables rules, else why not (for a JUnit assumption). */
    public static String unavailableReason() {
        try {
            Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!"0".equals(uid)) {
                return "network partitions need root (iptables); running as uid " + uid;
            }
            Result r = run(List.of("iptables", "-w", "-S", "INPUT"));
            return r.code() == 0 ? null : "iptables does not work here: " + r.out().strip();
        } catch (IOException e) {
            return "iptables not available: " + e.getMessage();
        }
    }

    /** Cuts every node of {@code side} off from every node of {@code rest}, both directions. */
    public static NetworkPartition isolate(Collection<NodeProcess> side, Collection<NodeProcess> rest) {
        NetworkPartition p = new NetworkPartition("isolate");
        try {
            p.cut(side.stream().map(NodeProcess::host).toList(), rest.stream().map(NodeProcess::host).toList());
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

    /** Cuts both directions between every address of {@code a} and every address of {@code b}. */
    public synchronized void cut(List<String> a, List<String> b) {
        OPEN.add(this);
        for (String x : a) {
            for (String y : b) {
                if (!x.equals(y)) {
                    drop(x, y);
                    drop(y, x);
                }
            }
        }
    }

    private void drop(String from, String to) {
        exec("-I", from, to);
        links.add(new String[] {from, to});
    }

    /** Removes every rule of this partition (idempotent); the partition can cut again afterwards. */
    public synchronized void heal() {
        int removed = 0;
        for (String[] l : links) {
            try {
                exec("-D", l[0], l[1]);
                removed++;
            } catch (RuntimeException e) {
                System.out.println("[it] " + e.getMessage());
            }
        }
        links.clear();
        deleteRulesMatching(line -> line.contains(tag));
        OPEN.remove(this);
        if (removed > 0) {
            System.out.printf("[it] partition %s healed (%d rules removed)%n", tag, removed);
        }
    }

    public String tag() {
        return tag;
    }

    @Override
    public void close() {
        heal();
    }

    /** Deletes rules tagged by a JVM that is gone (killed before its shutdown hook could run). */
    private static void removeStale() {
        deleteRulesMatching(line -> {
            Matcher m = TAG_PID.matcher(line);
            return m.find() && !ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false);
        });
    }

    private static void deleteRulesMatching(java.util.function.Predicate<String> doomed) {
        try {
            for (String line : run(List.of("iptables", "-w", "-S", "INPUT")).out().split("\n")) {
                if (line.startsWith("-A ") && doomed.test(line)) {
                    List<String> cmd = new ArrayList<>(List.of("iptables", "-w", "-D"));
                    cmd.addAll(List.of(line.substring(3).replace("\"", "").split(" ")));
                    run(cmd);
                }
            }
        } catch (IOException e) {
            System.out.println("[it] cannot list iptables rules: " + e.getMessage());
        }
    }

    private void exec(String op, String from, String to) {
        List<String> cmd = List.of("iptables", "-w", op, "INPUT", "-s", from, "-d", to, "-m", "comment",
                "--comment", tag, "-j", "DROP");
        try {
            Result r = run(cmd);
            if (r.code() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (" + r.code() + "): " + r.out().strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed", e);
        }
    }

    private record Result(int code, String out) {}

    private static Result run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
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
