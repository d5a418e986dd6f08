package dev.baton.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The built node jar ({@code baton.jar} system property, set by Failsafe) and one-shot runs of it. */
public final class BatonJar {

    /** Outcome of a process run to its end (or killed at the deadline, then {@code timedOut}). */
    public record RunResult(int exitCode, String output, boolean timedOut) {}

    private BatonJar() {}

    /** Absolute path of {@code baton-node-all.jar}; fails with a hint when it has not been built. */
    public static Path path() {
        String property = System.getProperty("baton.jar");
        Path jar = property != null && !property.isBlank()
                ? Path.of(property)
                : Path.of("..", "node", "target", "baton-node-all.jar");
        jar = jar.toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "node jar not found at " + jar + ": build it first (mvn -B -DskipTests package, or run mvn -B verify)");
        }
        return jar;
    }

    /** The java launcher of the JVM running the tests. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * {@code java -Xmx256m -jar baton-node-all.jar ARGS...} as a command line. The heap is the
     * system property {@code baton.node.heap} if set (the scale benchmark's 1M keys need more).
     */
    public static List<String> command(List<String> args) {
        String heap = System.getProperty("baton.node.heap", "256m");
        List<String> cmd = new ArrayList<>(List.of(javaExecutable(), "-Xmx" + heap, "-jar", path().toString()));
        cmd.addAll(args);
        return cmd;
    }

    /**
     * A short-lived CLI run: the client JIT tier only and the serial GC, which start a JVM that runs
     * for a second about a quarter faster (552 -> 410 ms for {@code baton token create}, 5 runs
     * each); a node keeps the defaults ({@link #command}), it runs for long.
     */
    static List<String> cliCommand(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(javaExecutable(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
                path().toString()));
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Runs the jar with {@code args} and waits for it to exit; stdout and stderr are captured together
     * (also written to {@code log}). A process still running at {@code timeout} is killed.
     */
    public static RunResult run(Path log, Duration timeout, List<String> args) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cliCommand(args))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        return new RunResult(exited ? p.exitValue() : -1, output, !exited);
    }
}
