package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Role hooks that write down what they were run with: one shell script, configured as {@code
 * --on-active}, {@code --on-standby} and {@code --on-fenced} of every node, appends {@code
 * $BATON_NODE_ID $BATON_ROLE $BATON_TERM $BATON_LEADER} to {@code <dir>/<node id>.log}. The
 * directory is emptied when the recorder is made.
 */
final class HookRecorder {

    /** One line of a hook file: {@code ID ROLE TERM LEADER} (leader empty for FENCED). */
    record HookLine(String node, String role, long term, String leader) {}

    private final Path dir;

    HookRecorder(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.writeString(script(), "echo \"$BATON_NODE_ID $BATON_ROLE $BATON_TERM $BATON_LEADER\" >> \""
                + dir + "/$BATON_NODE_ID.log\"\n");
    }

    private Path script() {
        return dir.resolve("hook.sh");
    }

    /** The node options that make every role hook run the recording script. */
    String[] nodeOptions() {
        String hook = "/bin/sh " + script();
        return new String[] {"--on-active=" + hook, "--on-standby=" + hook, "--on-fenced=" + hook};
    }

    /** Every line {@code nodeId}'s hooks wrote so far, in the order they ran. */
    List<HookLine> lines(String nodeId) {
        Path file = dir.resolve(nodeId + ".log");
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            List<HookLine> out = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.trim().split(" ");
                out.add(new HookLine(f[0], f[1], Long.parseLong(f[2]), f.length > 3 ? f[3] : ""));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code nodeId} ran the hook for {@code role} in {@code term}; returns all its lines. */
    List<HookLine> awaitLine(String nodeId, String role, long term) {
        await(nodeId + " hook line " + role + " term " + term)
                .atMost(TestCluster.WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> lines(nodeId).stream().anyMatch(l -> l.role().equals(role) && l.term() == term));
        return lines(nodeId);
    }

    /**
     * A node's hook lines are in role order (terms never decrease) and carry a consistent
     * environment: on-active names itself as leader, on-standby another node, on-fenced none.
     */
    void assertOrderAndEnvironment(String nodeId) {
        List<HookLine> lines = lines(nodeId);
        for (int i = 0; i < lines.size(); i++) {
            HookLine l = lines.get(i);
            assertThat(l.node()).isEqualTo(nodeId);
            switch (l.role()) {
                case "ACTIVE" -> assertThat(l.leader()).as("%s: %s", nodeId, lines).isEqualTo(nodeId);
                case "STANDBY" -> assertThat(l.leader()).as("%s: %s", nodeId, lines).isNotEmpty().isNotEqualTo(nodeId);
                case "FENCED" -> assertThat(l.leader()).as("%s: %s", nodeId, lines).isEmpty();
                default -> throw new AssertionError("hook for role " + l.role() + ": " + lines);
            }
            if (i > 0) {
                assertThat(l.term()).as("%s hook terms in order: %s", nodeId, lines).isGreaterThanOrEqualTo(lines.get(i - 1).term());
            }
        }
    }
}
