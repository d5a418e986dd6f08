package dev.baton.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Command-line parsing and usage errors only: every case here fails or finishes before any request. */
class BatonMainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = BatonMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void badSeedUrlIsAUsageErrorNamingTheUrl() {
        assertThat(run("status", "--seeds", "ftp://x:1")).isEqualTo(2);
        assertThat(err.toString()).contains("--seeds").contains("'ftp://x:1'").contains("scheme must be http or https");
    }

    @Test
    void badTimeoutIsAUsageError() {
        assertThat(run("leader", "--timeout", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration");
    }

    @Test
    void putNeedsExactlyOneValueSource() {
        assertThat(run("put", "k")).isEqualTo(2);
        assertThat(err.toString()).contains("exactly one of them");
    }

    @Test
    void casRejectsNegativeRevision() {
        assertThat(run("cas", "k", "-1", "v")).isEqualTo(2);
        assertThat(err.toString()).contains("EXPECTED_REVISION must be >= 0");
    }

    @Test
    void missingOrUnknownCommandIsAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("frobnicate")).isEqualTo(2);
    }

    @Test
    void statusHelpDocumentsExitCodesAndDefaultSeeds() {
        assertThat(run("status", "--help")).isEqualTo(0);
        assertThat(out.toString())
                .contains("0  a node reports itself ACTIVE")
                .contains("1  nodes answered, but none is ACTIVE")
                .contains("2  usage error")
                .contains("3  no node answered")
                .contains("--json")
                .contains("--seeds");
    }

    @Test
    void topLevelHelpListsTheCommands() {
        assertThat(run("--help")).isEqualTo(0);
        assertThat(out.toString()).contains("node", "status", "leader", "watch", "get", "put", "cas", "delete", "list");
    }

    @Test
    void historyRejectsALimitOutOfRange() {
        assertThat(run("history", "--limit", "0", "--seeds", "http://127.0.0.1:9")).isEqualTo(2);
        assertThat(err.toString()).contains("--limit must be 1..1000, got 0");
        assertThat(run("history", "--limit", "1001", "--seeds", "http://127.0.0.1:9")).isEqualTo(2);
        assertThat(run("history", "--help")).isEqualTo(0);
        assertThat(out.toString()).contains("--json", "--limit", "crash", "suspect", "switchover");
        assertThat(run("watch", "--help")).isEqualTo(0);
        assertThat(out.toString()).contains("--history");
    }

    @Test
    void watchRejectsNegativeCountAndDocumentsItsExitCodes() {
        assertThat(run("watch", "--count", "-1", "--seeds", "http://127.0.0.1:9")).isEqualTo(2);
        assertThat(err.toString()).contains("--count must be >= 0");
        assertThat(run("watch", "--help")).isEqualTo(0);
        assertThat(out.toString()).contains("term N leader ID URL").contains("7 --timeout passed before --count events");
    }

    @Test
    void watchWithTimeoutAndNoNodeEndsWithExitSevenAfterTheTimeout() {
        long start = System.nanoTime();
        assertThat(run("watch", "--count", "1", "--timeout", "700ms", "--seeds", "http://127.0.0.1:9")).isEqualTo(7);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(700_000_000L);
        assertThat(err.toString()).contains("0 of 1 events within 700ms");
        assertThat(out.toString()).isEmpty();
    }
}
