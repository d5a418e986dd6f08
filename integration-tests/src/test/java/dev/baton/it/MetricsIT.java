package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.baton.client.wire.ErrorCodes;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /metrics} on a real 3-node cluster with tokens on: exactly one node says it is
 * ACTIVE; the scrape parses (strictly, and with {@code promtool check metrics} when installed);
 * writes show up in the request histogram and the log's; the endpoint needs a read token; and
 * after {@code kill -9} of the ACTIVE the survivors count the leader change and the new term and
 * one of them reports itself ACTIVE. One cluster for all; the kill comes last.
 */
@ExtendWith(NodeLogsOnFailure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsIT {

    private TestCluster cluster;
    private String readToken;
    private final Http reader = new Http();

    @BeforeAll
    void startCluster() throws Exception {
        Path dir = TestCluster.itDir().resolve("MetricsIT-tokens");
        Files.createDirectories(dir);
        Path tokenFile = dir.resolve("tokens");
        Files.writeString(tokenFile, "# MetricsIT tokens\n");
        BatonCli cli = BatonCli.in(dir.resolve("cli"), Duration.ofSeconds(60));
        readToken = token(cli, tokenFile, "scraper", "read");
        String adminToken = token(cli, tokenFile, "ops", "admin");
        reader.bearer(readToken);
        cluster = TestCluster.create("MetricsIT", 3, Map.of(), "--token-file", tokenFile.toString());
        cluster.http().bearer(adminToken);
        cluster.startAll();
        TestCluster.Active active = cluster.awaitSettled();
        System.out.printf("[it] MetricsIT: %s ACTIVE at term %d%n", active.id(), active.term());
    }

    private static String token(BatonCli cli, Path file, String name, String role) throws Exception {
        BatonJar.RunResult r = cli.run("token", "create", "--name", name, "--role", role, "--append-to", file.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        return r.output().lines().filter(l -> l.matches("[A-Za-z0-9_-]{43}")).findFirst().orElseThrow();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private String scrapeText(NodeProcess node) {
        Http.Response r = reader.get(node.url() + "/metrics");
        assertThat(r.status()).as("scrape of %s: %s", node.id(), r).isEqualTo(200);
        return r.text();
    }

    private PromText scrape(NodeProcess node) {
        return PromText.parse(scrapeText(node));
    }

    @Test
    @Order(1)
    void exactlyOneNodeSaysItIsActive() {
        TestCluster.Active active = cluster.awaitSettled();
        // the role view and the scrape are read at different instants: wait for both to agree
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (NodeProcess n : cluster.nodes()) {
                PromText m = scrape(n);
                boolean isActive = n == active.node();
                assertThat(m.require("baton_is_active")).as(n.id() + " baton_is_active").isEqualTo(isActive ? 1.0 : 0.0);
                assertThat(m.require("baton_role", "role", isActive ? "ACTIVE" : "STANDBY")).as(n.id()).isEqualTo(1.0);
                assertThat(m.all("baton_role").stream().mapToDouble(PromText.Sample::value).sum()).as("one role at a time").isEqualTo(1.0);
                assertThat(m.require("baton_has_leader")).isEqualTo(1.0);
                assertThat(m.require("baton_term")).isEqualTo((double) active.term());
                assertThat(m.require("baton_leader_changes_total")).as(n.id() + " has seen the first leader").isGreaterThanOrEqualTo(1.0);
                assertThat(m.require("baton_storage_healthy")).isEqualTo(1.0);
                assertThat(m.require("baton_members", "status", "voter")).isEqualTo(3.0);
                assertThat(m.require("baton_members", "status", "joining")).isEqualTo(0.0);
                assertThat(m.all("baton_peer_heartbeat_age_seconds")).extracting(s -> s.labels().get("peer"))
                        .containsExactlyInAnyOrderElementsOf(cluster.others(n).stream().map(NodeProcess::id).toList());
                if (isActive) {
                    assertThat(m.require("baton_lease_remaining_seconds")).as("the ACTIVE holds its lease").isGreaterThan(0.0);
                    assertThat(m.all("baton_follower_lag_entries")).extracting(s -> s.labels().get("peer"))
                            .containsExactlyInAnyOrderElementsOf(cluster.others(n).stream().map(NodeProcess::id).toList());
                } else {
                    assertThat(m.require("baton_lease_remaining_seconds")).isEqualTo(0.0);
                    assertThat(m.all("baton_follower_lag_entries")).as("lag is the leader's to report").isEmpty();
                }
            }
        });
        assertThat(scrape(active.node()).value("jvm_memory_used_bytes", "area", "heap")).as("JVM metrics").isPresent();
    }

    @Test
    @Order(2)
    void writesShowUpInTheRequestAndLogHistograms() {
        TestCluster.Active active = cluster.awaitActive();
        PromText before = scrape(active.node());
        double puts = before.value("baton_http_request_duration_seconds_count", "operation", "kv_put", "status", "200").orElse(0.0);
        double appends = before.require("baton_log_append_duration_seconds_count");
        for (int i = 0; i < 5; i++) {
            Http.Response r = cluster.http().put(active.url() + "/v1/kv/" + Http.kvPath("metrics/k" + i), "v" + i);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
        PromText after = scrape(active.node());
        assertThat(after.require("baton_http_request_duration_seconds_count", "operation", "kv_put", "status", "200"))
                .isEqualTo(puts + 5);
        assertThat(after.require("baton_http_request_duration_seconds_bucket", "operation", "kv_put", "status", "200", "le", "+Inf"))
                .isEqualTo(puts + 5);
        assertThat(after.all("baton_http_request_duration_seconds_count")).as("operation names, never paths or keys")
                .allSatisfy(s -> assertThat(s.labels().get("operation")).doesNotContain("/").doesNotContain("metrics/k"));
        assertThat(after.require("baton_log_append_duration_seconds_count")).as("the leader stored the writes").isGreaterThan(appends);
        assertThat(after.require("baton_log_fsync_duration_seconds_count")).as("fsync is on by default").isGreaterThan(0.0);
        NodeProcess standby = cluster.others(active.node()).get(0);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape(standby).require("baton_applied_index"))
                .isGreaterThanOrEqualTo(after.require("baton_commit_index")));
    }

    @Test
    @Order(3)
    void metricsNeedAReadToken() {
        NodeProcess node = cluster.nodes().get(0);
        Http.Response none = new Http().get(node.url() + "/metrics");
        assertThat(none.status()).as(none.toString()).isEqualTo(401);
        assertThat(none.error().error()).isEqualTo(ErrorCodes.UNAUTHORIZED);
        Http.Response bad = new Http().bearer("not-a-token-at-all").get(node.url() + "/metrics");
        assertThat(bad.status()).isEqualTo(401);
        Http.Response read = new Http().bearer(readToken).get(node.url() + "/metrics");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        Http.Response open = new Http().bearer(readToken).withHeaders("GET", node.url() + "/metrics", new byte[0],
                "Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(open.header("Content-Type").orElse("")).startsWith("application/openmetrics-text");
        assertThat(open.text()).endsWith("# EOF\n");
    }

    @Test
    @Order(4)
    void promtoolAcceptsAScrape() throws Exception {
        String promtool = promtool();
        assumeTrue(promtool != null, "promtool is not installed (Debian package 'prometheus'): the scrape is checked by the test parser only");
        String text = scrapeText(cluster.awaitActive().node());
        Process p = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool check metrics: " + out).isZero();
        assertThat(out).as("promtool lint findings").isBlank();
    }

    static String promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "promtool");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    @Test
    @Order(5)
    void survivorsCountTheFailoverAfterKill9OfTheActive() {
        TestCluster.Active active = cluster.awaitSettled();
        List<NodeProcess> survivors = cluster.others(active.node());
        Map<String, Double> changes = new HashMap<>();
        Map<String, Double> terms = new HashMap<>();
        for (NodeProcess n : survivors) {
            PromText m = scrape(n);
            changes.put(n.id(), m.require("baton_leader_changes_total"));
            terms.put(n.id(), m.require("baton_term"));
        }

        active.node().kill9();
        TestCluster.Active next = cluster.awaitActive(active.term());
        System.out.printf("[it] MetricsIT: killed %s (term %d); %s ACTIVE at term %d%n", active.id(), active.term(), next.id(), next.term());

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            int activeCount = 0;
            for (NodeProcess n : survivors) {
                PromText m = scrape(n);
                assertThat(m.require("baton_leader_changes_total")).as(n.id() + " leader changes").isGreaterThan(changes.get(n.id()));
                assertThat(m.require("baton_term")).as(n.id() + " term").isGreaterThan(terms.get(n.id()));
                if (m.require("baton_is_active") == 1.0) {
                    activeCount++;
                    assertThat(n.id()).isEqualTo(next.id());
                }
            }
            assertThat(activeCount).as("survivors reporting baton_is_active 1").isEqualTo(1);
        });
    }
}
