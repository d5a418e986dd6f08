package dev.baton.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one runner of the node jar's {@code baton} command line in the tests: each run is a process
 * of {@link BatonJar}, its output kept in {@code <logDir>/<n>-<command>.log} and echoed to the test
 * output with the command and exit code. A run still going at the timeout is killed and reported
 * as {@link BatonJar.RunResult#timedOut()}. Thread-safe.
 */
public final class BatonCli {

    private final Path logDir;
    private final Duration timeout;
    private final List<String> appended;
    /** Numbers every run of this JVM, so runners sharing a log directory never overwrite a log. */
    private static final AtomicInteger RUNS = new AtomicInteger();

    private BatonCli(Path logDir, Duration timeout, List<String> appended) {
        this.logDir = logDir;
        this.timeout = timeout;
        this.appended = List.copyOf(appended);
    }

    /** Runs exactly the arguments given (the caller passes {@code --seeds} when it needs them). */
    public static BatonCli in(Path logDir, Duration timeout) {
        return new BatonCli(logDir, timeout, List.of());
    }

    /** Appends {@code --seeds <every node> --timeout 30s} to each run; logs in {@code <cluster dir>/cli}. */
    public static BatonCli against(TestCluster cluster) {
        return new BatonCli(cluster.dir().resolve("cli"), Duration.ofSeconds(90),
                List.of("--seeds", cluster.seeds(), "--timeout", "30s"));
    }

    /** Runs {@code baton ARGS} to its end (or the timeout) and returns exit code and output. */
    public BatonJar.RunResult run(String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(appended);
        BatonJar.RunResult r = BatonJar.run(nextLog(args), timeout, all);
        System.out.printf("[it] $ baton %s%n[it]   -> exit %d%s: %s%n", String.join(" ", args), r.exitCode(),
                r.timedOut() ? " (killed: still running after " + timeout.toSeconds() + " s)" : "",
                r.output().strip().replace("\n", "\n[it]      "));
        return r;
    }

    /**
     * Starts {@code baton ARGS} in the background, its output going to the returned log file as it
     * comes (for {@code watch}); the caller destroys the process.
     */
    public Started start(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(appended);
        Path log = nextLog(args);
        Process p = new ProcessBuilder(BatonJar.command(all)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        System.out.printf("[it] $ baton %s &   (output in %s)%n", String.join(" ", args), log);
        return new Started(p, log);
    }

    /** A background run: its process and the file its output goes to. */
    public record Started(Process process, Path log) {
        public String output() throws IOException {
            return Files.readString(log);
        }
    }

    private Path nextLog(String[] args) throws IOException {
        Files.createDirectories(logDir);
        String command = args.length == 0 ? "no-args" : args[0].replaceAll("[^A-Za-z0-9-]", "_");
        return logDir.resolve(RUNS.incrementAndGet() + "-" + command + ".log");
    }
}
