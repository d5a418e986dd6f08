package dev.baton.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Network partitions between node addresses with iptables: one tagged {@code INPUT} DROP rule per
 * direction of a cut link ({@code -s A -d B}); the nodes bind every JGroups socket to their own
 * address, so this cuts exactly that link, while HTTP from the test JVM (source 127.0.0.1) passes.
 * Every rule carries the comment {@link #tag()}; {@link #healAll()} deletes exactly those rules,
 * and a shutdown hook does it too, so no rule outlives the run. Thread-safe.
 */
public final class Partitions implements AutoCloseable {

    private final String tag;
    private final List<String[]> links = new ArrayList<>();
    private final Thread hook;

    /** @param tag must start with {@code baton-chaos-<pid of this JVM>-} (see {@link #removeStale()}) */
    public Partitions(String tag) {
        this.tag = tag;
        removeStale();
        this.hook = new Thread(this::healAll, "chaos-iptables-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public String tag() {
        return tag;
    }

    /** Why partitions cannot be used here, or null if iptables works (root, binary present). */
    public static String unavailableReason() {
        try {
            Result r = run(List.of("iptables", "-w", "-S", "INPUT"));
            return r.code == 0 ? null : "iptables -S INPUT failed (" + r.code + "): " + r.out.strip();
        } catch (IOException e) {
            return "no iptables: " + e.getMessage();
        }
    }

    /** Cuts both directions between every node of {@code a} and every node of {@code b} (addresses). */
    public synchronized void cut(List<String> a, List<String> b) {
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

    /**
     * Deletes rules tagged {@code baton-chaos-<pid>-...} whose JVM is gone (a run killed before its
     * shutdown hook could run).
     */
    private static void removeStale() {
        try {
            for (String line : run(List.of("iptables", "-w", "-S", "INPUT")).out.split("\n")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("baton-chaos-(\\d+)-").matcher(line);
                if (line.startsWith("-A ") && m.find()
                        && ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false) == false) {
                    List<String> cmd = new ArrayList<>(List.of("iptables", "-w", "-D"));
                    cmd.addAll(List.of(line.substring(3).replace("\"", "").split(" ")));
                    run(cmd);
                    System.out.println("[chaos] removed a stale iptables rule: " + line);
                }
            }
        } catch (IOException e) {
            System.out.println("[chaos] cannot list iptables rules: " + e.getMessage());
        }
    }

    /** Deletes every rule this instance added (also any left by an earlier failure with the same tag). */
    public synchronized void healAll() {
        for (String[] l : links) {
            try {
                exec("-D", l[0], l[1]);
            } catch (RuntimeException e) {
                System.out.println("[chaos] " + e.getMessage());
            }
        }
        links.clear();
        try {
            for (String line : run(List.of("iptables", "-w", "-S", "INPUT")).out.split("\n")) {
                if (line.contains(tag) && line.startsWith("-A ")) {
                    List<String> cmd = new ArrayList<>(List.of("iptables", "-w", "-D"));
                    cmd.addAll(List.of(line.substring(3).replace("\"", "").split(" ")));
                    run(cmd);
                }
            }
        } catch (IOException e) {
            System.out.println("[chaos] cannot list iptables rules: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        healAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already
        }
    }

    private void exec(String op, String from, String to) {
        List<String> cmd = List.of("iptables", "-w", op, "INPUT", "-s", from, "-d", to, "-j", "DROP", "-m", "comment",
                "--comment", tag);
        try {
            Result r = run(cmd);
            if (r.code != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (" + r.code + "): " + r.out.strip());
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
                return new Result(-1, "timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
        return new Result(p.exitValue(), out);
    }
}
