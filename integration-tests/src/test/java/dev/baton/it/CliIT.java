package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.client.wire.KvEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code baton} command line, run as a process against three real node JVMs (issue 4): what
 * each command prints (what scripts parse), its documented exit codes, and {@code watch} across a
 * {@code kill -9} of the ACTIVE.
 */
@ExtendWith(NodeLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {

    private static TestCluster cluster;
    private static BatonCli cli;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start("CliIT", 3);
        cli = BatonCli.in(cluster.dir().resolve("cli"), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Every test starts from three running nodes: one ACTIVE, two caught-up STANDBYs. */
    @BeforeEach
    void allNodesUp() {
        cluster.restartDead();
        cluster.awaitSettled();
    }

    @Test
    @Order(1)
    void kvAndClusterCommandsPrintWhatScriptsExpectAndExitWithDocumentedCodes() throws Exception {
        TestCluster.Active active = cluster.awaitSettled();
        String seeds = "--seeds=" + cluster.seeds();
        String leaderLine = active.id() + " " + active.url() + " term " + active.term();

        BatonJar.RunResult r = cli.run("leader", seeds);
        assertThat(r.exitCode()).isZero();
        assertThat(r.output().strip()).isEqualTo(leaderLine);

        r = cli.run("status", seeds);
        assertThat(r.exitCode()).isZero();
        assertThat(r.output().lines().toList()).hasSize(1 + cluster.nodes().size()).first().asString().startsWith("ID  ");
        assertThat(r.output()).contains("ACTIVE").contains("STANDBY");

        r = cli.run("put", "cli/k", "v1", seeds);
        assertThat(r.exitCode()).isZero();
        assertThat(r.output().strip()).matches("revision \\d+ term " + active.term());
        long rev = Long.parseLong(r.output().strip().split(" ")[1]);

        r = cli.run("get", "cli/k", seeds);
        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).isEqualTo("v1\n");

        r = cli.run("get", "cli/k", "--json", seeds);
        assertThat(Http.JSON.readValue(r.output(), KvEntry.class)).isEqualTo(new KvEntry("cli/k", "v1", rev));

        NodeProcess standby = cluster.others(active.node()).get(0);
        cluster.awaitCaughtUpStandby(standby, active);
        r = cli.run("get", "--stale", "--json", "cli/k", "--seeds=" + standby.url());
        assertThat(r.exitCode()).isZero();
        var stale = Http.JSON.readTree(r.output());
        assertThat(stale.get("value").asText()).isEqualTo("v1");
        assertThat(stale.get("node").asText()).isEqualTo(standby.url());
        // -1 would mean "no contact with a leader"; how small the bound is depends on heartbeats and
        // load, which is not this test's business
        assertThat(stale.get("stalenessMs").asLong()).as("staleness bound of a following standby").isNotNegative();
        assertThat(stale.get("appliedIndex").asLong()).isPositive();

        r = cli.run("get", "cli/missing", seeds);
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.output().strip()).isEqualTo("baton get: key 'cli/missing' not found");
        r = cli.run("get", "--stale", "cli/missing", seeds);
        assertThat(r.exitCode()).isEqualTo(4);

        r = cli.run("cas", "cli/k", Long.toString(rev + 1000), "v2", seeds);
        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(r.output()).contains("current revision is " + rev);
        r = cli.run("cas", "cli/k", Long.toString(rev), "v2", seeds);
        assertThat(r.exitCode()).isZero();
        assertThat(r.output().strip()).matches("revision \\d+ term \\d+");

        r = cli.run("list", "cli/", seeds);
        assertThat(r.exitCode()).isZero();
        assertThat(r.output().lines().toList()).hasSize(2);
        assertThat(r.output().lines().toList().get(1)).matches("cli/k\\s+\\d+\\s+v2");
        assertThat(cli.run("put", "cli/l", "v3", seeds).exitCode()).isZero();
        r = cli.run("list", "cli/", "--limit", "1", seeds);
        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).contains("cli/k").doesNotContain("cli/l")
                .contains("more keys follow; next page: baton list cli/ --limit 1 --after cli/k");
        r = cli.run("list", "cli/", "--limit", "1", "--after", "cli/k", seeds);
        assertThat(r.output()).contains("cli/l").doesNotContain("more keys follow");
        assertThat(cli.run("delete", "cli/l", seeds).exitCode()).isZero();

        r = cli.run("delete", "cli/k", seeds);
        assertThat(r.exitCode()).isZero();
        r = cli.run("get", "cli/k", seeds);
        assertThat(r.exitCode()).isEqualTo(4);

        r = cli.run("put", "", "v", seeds);
        assertThat(r.exitCode()).isEqualTo(2);
        r = cli.run("frobnicate", seeds);
        assertThat(r.exitCode()).isEqualTo(2);
    }

    @Test
    @Order(2)
    void watchPrintsTheLeaderAndExitsWithCode7WhenFewerEventsCameThanAskedFor() throws Exception {
        TestCluster.Active active = cluster.awaitSettled();
        String seeds = "--seeds=" + cluster.seeds();
        BatonJar.RunResult r = cli.run("watch", "--count", "1", seeds);
        assertThat(r.exitCode()).isZero();
        assertThat(r.output().strip()).isEqualTo("term " + active.term() + " leader " + active.id() + " " + active.url());
        r = cli.run("watch", "--count", "1", "--json", seeds);
        assertThat(Http.JSON.readTree(r.output()).get("event").asText()).isEqualTo("leader");
        r = cli.run("watch", "--count", "2", "--timeout", "2s", seeds);
        assertThat(r.exitCode()).isEqualTo(7);
        assertThat(r.output()).contains("term " + active.term() + " leader " + active.id())
                .contains("baton watch: 1 of 2 events within 2s");
    }

    @Test
    @Order(3)
    void commandsExitWithCode3WhenNoNodeAnswers() throws Exception {
        // Nothing listening there: exit 3 after the timeout, for every command that needs an active node.
        BatonJar.RunResult r;
        String nowhere = "--seeds=http://127.0.0.9:1";
        for (String[] args : List.of(new String[] {"leader"}, new String[] {"get", "k"}, new String[] {"put", "k", "v"},
                new String[] {"get", "--stale", "k"})) {
            List<String> a = new ArrayList<>(List.of(args));
            a.add(nowhere);
            a.add("--timeout=1s");
            r = cli.run(a.toArray(String[]::new));
            assertThat(r.exitCode()).as("%s", a).isEqualTo(3);
        }
        r = cli.run("status", nowhere, "--timeout=1s");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.output()).contains("UNREACHABLE");
    }

    /** Last: it kills the ACTIVE. */
    @Test
    @Order(4)
    void watchFollowsAFailover() throws Exception {
        TestCluster.Active active = cluster.awaitSettled();
        // started before the kill, it prints the old leader, maybe "no leader" lines, then the new leader
        BatonCli.Started watch = cli.start("watch", "--timeout", "90s", "--seeds=" + cluster.seeds());
        try {
            String oldLine = "term " + active.term() + " leader " + active.id() + " " + active.url();
            await("watch printed the current leader").atMost(TestCluster.WAIT)
                    .until(() -> watch.output().contains(oldLine));
            active.node().kill9();
            TestCluster.Active next = cluster.awaitActive(active.term());
            String newLine = "term " + next.term() + " leader " + next.id() + " " + next.url();
            await("watch printed the new leader").atMost(TestCluster.WAIT)
                    .until(() -> watch.output().contains(newLine));
            List<String> printed = watch.output().lines().toList();
            System.out.printf("[it] $ baton watch across kill -9 of %s printed:%n[it]   %s%n", active.id(),
                    String.join("\n[it]   ", printed));
            assertThat(printed.get(0)).isEqualTo(oldLine);
            assertThat(printed.get(printed.size() - 1)).isEqualTo(newLine);
            assertThat(printed.subList(1, printed.size() - 1)).allMatch(l -> l.matches("term \\d+ no leader"));
        } finally {
            watch.process().destroyForcibly();
        }
    }
}
