package dev.baton.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One Baton node: a real JVM started from the built jar as a child process, with its own data
 * directory and log file ({@code <dir>/node.log}, appended across restarts; stdout and stderr).
 * Faults are real signals to its pid: {@link #kill9()} (crash), {@link #sigstop()} (hang),
 * {@link #terminate()} (orderly stop).
 *
 * <p>Every started process is registered with a JVM shutdown hook that SIGKILLs it, so nothing
 * outlives the test JVM even when a test fails or the run is interrupted. Methods are
 * synchronized; one test thread normally drives a node.
 */
public final class NodeProcess {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(NodeProcess::killAllLive, "baton-it-reaper"));
    }

    private final String id;
    private final String host;
    private final int raftPort;
    private final int httpPort;
    private final String membersSpec;
    private final Path dir;
    private final List<String> options;
    private Process process;

    NodeProcess(String id, String host, int raftPort, int httpPort, String membersSpec, Path dir, List<String> options) {
        this.id = id;
        this.host = host;
        this.raftPort = raftPort;
        this.httpPort = httpPort;
        this.membersSpec = membersSpec;
        this.dir = dir;
        this.options = List.copyOf(options);
    }

    public String id() {
        return id;
    }

    public String host() {
        return host;
    }

    public int raftPort() {
        return raftPort;
    }

    /** {@code ID=HOST:RAFT_PORT:HTTP_PORT}, as in {@code --members}. */
    public String memberSpec() {
        return id + "=" + host + ":" + raftPort + ":" + httpPort;
    }

    /** The whole {@code --members} value this node starts with. */
    public String membersSpec() {
        return membersSpec;
    }

    /** This node's directory (data dir and log file). */
    public Path dir() {
        return dir;
    }

    /** HTTP base URL, e.g. {@code http://127.0.0.21:8080}; {@code https://} when the node has an HTTPS certificate option. */
    public String url() {
        boolean https = options.contains("--http-tls-cert") || options.contains("--http-tls-keystore");
        return (https ? "https://" : "http://") + host + ":" + httpPort;
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    public Path logFile() {
        return dir.resolve("node.log");
    }

    /** A file of the node's Raft log directory, {@code <data-dir>/<id>.log/<name>} (e.g. entries.crc, snapshot.crc, metadata.crc). */
    public Path raftFile(String name) {
        return dataDir().resolve(id + ".log").resolve(name);
    }

    /** Starts the node (again, with the same data directory if it ran before). */
    public synchronized void start() {
        start(List.of());
    }

    /** As {@link #start()}, this run only with {@code extraOptions} after the node's own (e.g. {@code --repair-log}). */
    public synchronized void start(List<String> extraOptions) {
        launch(List.of("--members", membersSpec), extraOptions);
    }

    /**
     * Starts the node with {@code memberArgs} instead of its own {@code --members} (e.g. {@code
     * --members} of fewer nodes, or {@code --join URL,...}), with the same data directory.
     */
    public synchronized void startWith(List<String> memberArgs) {
        launch(memberArgs, List.of());
    }

    private void launch(List<String> memberArgs, List<String> extraOptions) {
        if (isAlive()) {
            throw new IllegalStateException(id + " is already running (pid " + process.pid() + ")");
        }
        List<String> args = new ArrayList<>(List.of("node", "--id", id));
        args.addAll(memberArgs);
        args.addAll(List.of("--data-dir", dataDir().toString()));
        args.addAll(options);
        args.addAll(extraOptions);
        try {
            Files.createDirectories(dataDir());
            Files.writeString(
                    logFile(),
                    "=== " + Instant.now() + " test harness starts " + id + ": " + String.join(" ", args) + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            process = new ProcessBuilder(BatonJar.command(args))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + id, e);
        }
        LIVE.add(process);
    }

    /**
     * Deletes what is inside the data dir, not the dir itself (it may be a tmpfs mount point): the
     * empty data dir of a new machine. The node must not be running.
     */
    public synchronized void wipeData() {
        if (isAlive()) {
            throw new IllegalStateException(id + " is running (pid " + process.pid() + "): stop it before wiping its data");
        }
        if (!Files.isDirectory(dataDir())) {
            return;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(dataDir())) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(dataDir())) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe the data dir of " + id, e);
        }
    }

    /** Starts the node again with its data directory; it must not be running. */
    public void restart() {
        start();
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(id + " was never started");
        }
        return process.pid();
    }

    /** {@code kill -9}: the process dies at once, without any chance to clean up. Waits for it. */
    public synchronized void kill9() {
        if (!isAlive()) {
            return;
        }
        signal("KILL");
        awaitExit(10);
    }

    /** {@code kill -STOP}: the process hangs (its sockets stay open) until {@link #sigcont()}. */
    public synchronized void sigstop() {
        signal("STOP");
    }

    /** {@code kill -HUP}: asks the node to reload its token file (and, with HTTPS, its certificates). */
    public synchronized void sighup() {
        signal("HUP");
    }

    /** {@code kill -CONT}: resumes a process stopped by {@link #sigstop()}. */
    public synchronized void sigcont() {
        signal("CONT");
    }

    /** {@code kill -TERM} and wait up to 20 s for the exit, then SIGKILL. */
    public synchronized void terminate() {
        terminate(20);
    }

    synchronized void terminate(long graceSeconds) {
        if (!isAlive()) {
            return;
        }
        signal("TERM");
        trySignal("CONT"); // a stopped process acts on SIGTERM only once resumed
        if (!awaitExit(graceSeconds)) {
            System.out.printf("[it] %s (pid %d) still running %d s after SIGTERM: SIGKILL%n", id, process.pid(), graceSeconds);
            signal("KILL");
            awaitExit(10);
        }
    }

    /** Waits up to {@code seconds} for the process to exit by itself; its exit code, or null if still running. */
    public synchronized Integer awaitExitCode(long seconds) {
        if (process == null) {
            throw new IllegalStateException(id + " was never started");
        }
        return awaitExit(seconds) ? process.exitValue() : null;
    }

    /** Exit code of the last run, or null while running / never started. */
    public synchronized Integer exitCode() {
        return process == null || process.isAlive() ? null : process.exitValue();
    }

    /** The last {@code lines} lines of the node's log ("" if there is none). */
    public String logTail(int lines) {
        try {
            if (!Files.exists(logFile())) {
                return "";
            }
            List<String> all = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile() + ": " + e + ")";
        }
    }

    /** The whole log, for assertions on logged lines such as {@code became ACTIVE at term 7}. */
    public String log() {
        try {
            return Files.exists(logFile()) ? Files.readString(logFile(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean awaitExit(long seconds) {
        try {
            boolean exited = process.waitFor(seconds, TimeUnit.SECONDS);
            if (exited) {
                LIVE.remove(process);
            }
            return exited;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void signal(String name) {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException(id + " is not running: cannot send SIG" + name);
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void trySignal(String name) {
        try {
            signal(name);
        } catch (IllegalStateException e) {
            // the process exited meanwhile: nothing to signal
        }
    }

    private static void killAllLive() {
        for (Process p : LIVE) {
            p.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return id + "@" + url();
    }
}
