package dev.baton.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Command-line parsing and usage errors only: every case here fails or finishes before any request. */
class BatonMainTest {

    private final CliRun cli = new CliRun();

    @Test
    void badSeedUrlIsAUsageErrorNamingTheUrl() {
        assertThat(cli.run("status", "--seeds", "ftp://x:1")).isEqualTo(2);
        assertThat(cli.err()).contains("--seeds").contains("'ftp://x:1'").contains("scheme must be http or https");
    }

    @Test
    void badTimeoutIsAUsageError() {
        assertThat(cli.run("leader", "--timeout", "soon")).isEqualTo(2);
        assertThat(cli.err()).contains("'soon' is not a duration");
    }

    @Test
    void putNeedsExactlyOneValueSource() {
        assertThat(cli.run("put", "k")).isEqualTo(2);
        assertThat(cli.err()).contains("exactly one of them");
    }

    @Test
    void casRejectsNegativeRevision() {
        assertThat(cli.run("cas", "k", "-1", "v")).isEqualTo(2);
        assertThat(cli.err()).contains("EXPECTED_REVISION must be >= 0");
    }

    @Test
    void missingOrUnknownCommandIsAUsageError() {
        assertThat(cli.run()).isEqualTo(2);
        assertThat(cli.run("frobnicate")).isEqualTo(2);
    }

    @Test
    void statusHelpDocumentsExitCodesAndDefaultSeeds() {
        assertThat(cli.run("status", "--help")).isEqualTo(0);
        assertThat(cli.out())
                .contains("0  a node reports itself ACTIVE")
                .contains("1  nodes answered, but none is ACTIVE")
                .contains("2  usage error")
                .contains("3  no node answered")
                .contains("--json")
                .contains("--seeds");
    }

    @Test
    void topLevelHelpListsTheCommands() {
        assertThat(cli.run("--help")).isEqualTo(0);
        assertThat(cli.out()).contains("node", "status", "leader", "watch", "get", "put", "cas", "delete", "list");
    }

    @Test
    void historyRejectsALimitOutOfRange() {
        assertThat(cli.run("history", "--limit", "0", "--seeds", "http://127.0.0.1:9")).isEqualTo(2);
        assertThat(cli.err()).contains("--limit must be 1..1000, got 0");
        assertThat(cli.run("history", "--limit", "1001", "--seeds", "http://127.0.0.1:9")).isEqualTo(2);
        assertThat(cli.run("history", "--help")).isEqualTo(0);
        assertThat(cli.out()).contains("--json", "--limit", "crash", "suspect", "switchover");
        assertThat(cli.run("watch", "--help")).isEqualTo(0);
        assertThat(cli.out()).contains("--history");
    }

    @Test
    void watchRejectsNegativeCountAndDocumentsItsExitCodes() {
        assertThat(cli.run("watch", "--count", "-1", "--seeds", "http://127.0.0.1:9")).isEqualTo(2);
        assertThat(cli.err()).contains("--count must be >= 0");
        assertThat(cli.run("watch", "--help")).isEqualTo(0);
        assertThat(cli.out()).contains("term N leader ID URL").contains("7 --timeout passed before --count events");
    }

    @Test
    void watchWithTimeoutAndNoNodeEndsWithExitSevenAfterTheTimeout() {
        long start = System.nanoTime();
        assertThat(cli.run("watch", "--count", "1", "--timeout", "700ms", "--seeds", "http://127.0.0.1:9")).isEqualTo(7);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(700_000_000L);
        assertThat(cli.err()).contains("0 of 1 events within 700ms");
        assertThat(cli.out()).isEmpty();
    }
}
