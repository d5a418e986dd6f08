package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.client.BatonClient;
import dev.baton.client.wire.LeadershipHistory;
import dev.baton.client.wire.LeadershipTerm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The replicated leadership history on three real node JVMs (issue 15): a kill -9, a SIGSTOP of
 * the ACTIVE, an operator's switchover and a SIGTERM hand-over each start a term that {@code GET
 * /v1/history} lists with the right cause, in term order, the same on every node (through HTTP, the
 * client and {@code baton history --json}); the history survives a full-cluster restart (kill -9 of all). The tests
 * share one cluster and run in order; killed or stopped nodes are restarted as they go (so that a
 * quorum stays), the one stopped by SIGTERM by the full restart.
 */
@ExtendWith(NodeLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HistoryIT {

    private static TestCluster cluster;
    private static BatonCli cli;
    /** The term each fault started, with the cause it must be recorded with, in order. */
    private static final Map<Long, String> expected = new LinkedHashMap<>();
    private static final Map<Long, String> leaders = new LinkedHashMap<>();

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start("HistoryIT", 3);
        cli = BatonCli.against(cluster);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void eachFaultStartsATermWithItsCause() throws Exception {
        TestCluster.Active a0 = cluster.awaitSettled();
        record(a0, "startup");
        assertThat(termOn(a0.node(), a0.term()).gapMs()).as("no gap is known for a fresh cluster").isNull();

        // kill -9: the port refuses, so the crash is confirmed
        a0.node().kill9();
        TestCluster.Active a1 = cluster.awaitActive(a0.term(), Duration.ofMillis(50));
        record(a1, "crash");
        a0.node().restart();
        cluster.awaitSettled();

        // SIGSTOP: the port still accepts (the kernel answers), so it is only suspected
        TestCluster.Active s = cluster.awaitSettled();
        s.node().sigstop();
        TestCluster.Active a2;
        try {
            a2 = cluster.awaitActive(s.term(), Duration.ofMillis(50));
        } finally {
            s.node().sigcont();
        }
        record(a2, "suspect");
        TestCluster.Active settled = cluster.awaitSettled();

        // operator's switchover
        NodeProcess target = cluster.others(settled.node()).get(0);
        Http.Response t = cluster.http().method("POST", settled.url() + "/v1/admin/transfer?to=" + target.id(), new byte[0]);
        assertThat(t.status()).as(t.toString()).isEqualTo(200);
        TestCluster.Active a3 = cluster.awaitActive(settled.term());
        assertThat(a3.id()).isEqualTo(target.id());
        record(a3, "switchover");
        cluster.awaitSettled();

        // SIGTERM of the ACTIVE: it hands over before it exits
        a3.node().terminate();
        TestCluster.Active a4 = cluster.awaitActive(a3.term());
        record(a4, "handover");
        // a3 stays down (two nodes keep the quorum) until the full restart starts every node again

        List<LeadershipTerm> terms = awaitSameOnEveryNode(a4.term());
        assertCauses(terms);
        LeadershipTerm crash = find(terms, a1.term());
        assertThat(crash.previousLeader()).isEqualTo(a0.id());
        assertThat(crash.gapMs()).as("crash gap").isNotNull().isNotNegative();
        assertThat(find(terms, a2.term()).gapMs()).as("suspect gap").isNotNull().isNotNegative();
        LeadershipTerm switched = find(terms, settled.term());
        assertThat(switched.endReason()).isEqualTo("switchover");
        assertThat(switched.endedAtMs()).isNotNull();
        assertThat(find(terms, a3.term()).endReason()).isEqualTo("handover");
        for (LeadershipTerm term : terms) {
            if (term.activeAtMs() != null && term.endedAtMs() != null) {
                // the same wall clock on one machine: a term cannot end much before it began
                assertThat(term.endedAtMs()).as("term %d ends after it began", term.term()).isGreaterThanOrEqualTo(term.activeAtMs() - 50);
            }
        }
        for (int i = 1; i < terms.size(); i++) {
            assertThat(terms.get(i).term()).as("newest last").isGreaterThan(terms.get(i - 1).term());
        }
        System.out.printf("[it] HistoryIT: %s%n", terms);
    }

    @Test
    @Order(2)
    void cliAndClientShowTheSameHistory() throws Exception {
        long newest = expected.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        List<LeadershipTerm> http = awaitSameOnEveryNode(newest);
        BatonJar.RunResult r = cli.run("history", "--json", "--limit", "1000");
        assertThat(r.exitCode()).as(r.output()).isZero();
        JsonNode json = Http.JSON.readTree(r.output().substring(r.output().indexOf('{')));
        assertThat(json.get("clock").asText()).contains("wall clock").contains("monotonic");
        assertThat(json.get("applied_index").asLong()).isPositive();
        List<LeadershipTerm> fromCli = new ArrayList<>();
        for (JsonNode n : json.get("terms")) {
            fromCli.add(Http.JSON.treeToValue(n, LeadershipTerm.class));
        }
        assertThat(fromCli).isEqualTo(http);

        // baton watch --history: the current leader, then its term's cause and gap
        LeadershipTerm current = http.get(http.size() - 1);
        BatonJar.RunResult watch = cli.run("watch", "--history", "--count", "1");
        assertThat(watch.exitCode()).as(watch.output()).isZero();
        assertThat(watch.output()).contains("history term " + current.term() + " leader " + current.leader()
                + " cause " + current.cause() + " gap ");
        // the table and the --limit checks are unit-tested (HistoryOutputTest, BatonMainTest): each
        // CLI run is a JVM start, seconds on this machine

        try (BatonClient client = TestClients.builder(cluster).build()) {
            assertThat(client.history(1000).terms()).isEqualTo(http);
            assertThat(client.history(2).terms()).isEqualTo(http.subList(http.size() - 2, http.size()));
        }
    }

    @Test
    @Order(3)
    void badInputIsRefusedWithJson() {
        String url = cluster.nodes().stream().filter(NodeProcess::isAlive).findFirst().orElseThrow().url() + "/v1/history";
        for (String q : List.of("?limit=0", "?limit=1001", "?limit=abc", "?limit=-1")) {
            Http.Response r = cluster.http().get(url + q);
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
            assertThat(r.tree().get("error").asText()).isEqualTo("invalid_parameter");
            assertThat(r.tree().get("message").asText()).isNotBlank();
        }
        Http.Response post = cluster.http().method("POST", url, new byte[0]);
        assertThat(post.status()).as(post.toString()).isEqualTo(405);
    }

    @Test
    @Order(4)
    void theHistorySurvivesAFullRestart() {
        long newest = expected.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        List<LeadershipTerm> before = awaitSameOnEveryNode(newest);
        // stop all at once without a hand-over (SIGTERM would have the ACTIVE try one to nodes that
        // are leaving too, and wait for it): the data stays on disk, as after a power cut
        cluster.nodes().forEach(NodeProcess::kill9);
        cluster.startAll();
        TestCluster.Active after = cluster.awaitSettled();
        assertThat(cluster.nodes()).allMatch(NodeProcess::isAlive);
        List<LeadershipTerm> terms = awaitSameOnEveryNode(after.term());
        // every term recorded before is still there, unchanged but for the end of the last one
        for (LeadershipTerm old : before.subList(0, before.size() - 1)) {
            assertThat(find(terms, old.term())).isEqualTo(old);
        }
        assertThat(find(terms, before.get(before.size() - 1).term()).cause()).isEqualTo(before.get(before.size() - 1).cause());
        assertCauses(terms);
        // the first term after the restart (a later one, if its leader's first entry failed, would be a suspect term)
        long last = before.get(before.size() - 1).term();
        LeadershipTerm first = terms.stream().filter(t -> t.term() > last).findFirst().orElseThrow();
        assertThat(first.cause()).as("first term after a full restart: %s", terms).isEqualTo("startup");
        assertThat(first.gapMs()).isNull();
        assertThat(find(terms, after.term()).leader()).isEqualTo(after.id());
    }

    private static void record(TestCluster.Active a, String cause) {
        expected.put(a.term(), cause);
        leaders.put(a.term(), a.id());
    }

    private static void assertCauses(List<LeadershipTerm> terms) {
        for (Map.Entry<Long, String> e : expected.entrySet()) {
            LeadershipTerm t = find(terms, e.getKey());
            assertThat(t.cause()).as("cause of term %d in %s", e.getKey(), terms).isEqualTo(e.getValue());
            assertThat(t.leader()).as("leader of term %d", e.getKey()).isEqualTo(leaders.get(e.getKey()));
            assertThat(t.activeAtMs()).as("active_at_ms of term %d", e.getKey()).isNotNull();
        }
    }

    private static LeadershipTerm find(List<LeadershipTerm> terms, long term) {
        return terms.stream().filter(t -> t.term() == term).findFirst()
                .orElseThrow(() -> new AssertionError("term " + term + " missing from " + terms));
    }

    private static LeadershipTerm termOn(NodeProcess node, long term) {
        return find(historyOf(node), term);
    }

    private static List<LeadershipTerm> historyOf(NodeProcess node) {
        Http.Response r = cluster.http().get(node.url() + "/v1/history?limit=1000");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json(LeadershipHistory.class).terms();
    }

    /** Waits until every running node's replica lists {@code term} and all list the same terms; returns them. */
    private static List<LeadershipTerm> awaitSameOnEveryNode(long term) {
        List<List<LeadershipTerm>> seen = new ArrayList<>();
        await("the same history, up to term " + term + ", on every node").atMost(TestCluster.WAIT)
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    seen.clear();
                    for (NodeProcess n : cluster.nodes()) {
                        if (n.isAlive()) {
                            seen.add(historyOf(n));
                        }
                    }
                    assertThat(seen.get(0)).extracting(LeadershipTerm::term).contains(term);
                    assertThat(seen).allSatisfy(h -> assertThat(h).isEqualTo(seen.get(0)));
                });
        return seen.get(0);
    }

}
