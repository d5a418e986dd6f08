package dev.baton.node.fencing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fencing core and the role machine stay pure (STYLE.md, example 1): no JGroups, no HTTP
 * layer, no schedulers or threads, no clock reads. Read from the sources, so that a change that
 * breaks the rule fails the build with the file and line.
 */
class PureCoreTest {

    private static final Path MAIN = Path.of("src/main/java/dev/baton/node");
    private static final List<Pattern> FORBIDDEN = List.of(
            Pattern.compile("^import org\\.jgroups\\."),
            Pattern.compile("^import dev\\.baton\\.node\\.(http|raft|hooks|cli)\\."),
            Pattern.compile("^import java\\.util\\.concurrent\\.(Executor|Executors|ExecutorService|ScheduledExecutorService|CompletableFuture)\\b"),
            Pattern.compile("^import java\\.net\\."),
            Pattern.compile("^\\s*[^*/].*\\bSystem\\.(nanoTime|currentTimeMillis)\\("),
            Pattern.compile("^\\s*[^*/].*\\bnew Thread\\("),
            Pattern.compile("^\\s*[^*/].*\\bThread\\.sleep\\("));

    @Test
    void fencingAndRolePackagesUseNoIoThreadsOrClock() throws IOException {
        List<String> found = new ArrayList<>();
        for (String pkg : List.of("fencing", "role")) {
            try (Stream<Path> files = Files.list(MAIN.resolve(pkg))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i);
                        if (FORBIDDEN.stream().anyMatch(p -> p.matcher(line).find())) {
                            found.add(f + ":" + (i + 1) + ": " + line.strip());
                        }
                    }
                }
            }
        }
        assertThat(found).as("impure lines in the fencing core or the role machine").isEmpty();
    }

    @Test
    void theRuleSeesAViolation() {
        assertThat(FORBIDDEN.stream().anyMatch(p -> p.matcher("import org.jgroups.Message;").find())).isTrue();
        assertThat(FORBIDDEN.stream().anyMatch(p -> p.matcher("        long now = System.nanoTime();").find())).isTrue();
        assertThat(FORBIDDEN.stream().anyMatch(p -> p.matcher(" * time is {@link System#nanoTime()}").find())).isFalse();
    }
}
