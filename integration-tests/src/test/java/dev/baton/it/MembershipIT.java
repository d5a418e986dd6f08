package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Membership changes on a running cluster, on real processes: nodes join with {@code --join} (no
 * full member list on their command line), become voters once caught up, and are removed one at a
 * time, while a writer runs. Every acknowledged write must be on every member at the end, and
 * never two ACTIVE at once (the role transitions in the node logs).
 */
@ExtendWith(NodeLogsOnFailure.class)
class MembershipIT {

    private TestCluster cluster;
    private AckedWriter writer;
    private final Map<String, List<Long>> killedAt = new HashMap<>(); // node id -> monotonic time of its kill -9

    @AfterEach
    void stop() {
        if (writer != null) {
            writer.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * One cluster, one writer, every step in turn (one cluster, not one per step: the default suite
     * must stay under 20 minutes): 3 -> 5 -> 3, then a member lost for good is replaced by a fresh
     * node and the ACTIVE is killed, so the election needs the new member's vote.
     */
    @Test
    void growsShrinksAndReplacesALostMemberWhileAWriterRuns() throws Exception {
        cluster = TestCluster.create("members", 5);
        List<NodeProcess> first = cluster.nodes().subList(0, 3);
        startWithMembers(first);
        TestCluster.Active active = cluster.awaitActive();
        writer = new AckedWriter(cluster.clientBuilder().deadline(Duration.ofSeconds(20)).build(), "m/", 5_000,
                Duration.ofSeconds(120), 20);
        BatonCli cli = BatonCli.against(cluster);
        String seeds = first.stream().map(NodeProcess::url).collect(Collectors.joining(","));

        // grow: n4 (through the CLI) and n5 (the HTTP API) join with --join (no member list of their
        // own) and vote once caught up
        BatonJar.RunResult add4 = cli.run("members", "add", cluster.node("n4").memberSpec());
        assertThat(add4.exitCode()).as("members add n4: %s", add4.output()).isZero();
        assertThat(add4.output()).contains("added n4 as joining").contains("--join");
        assertThat(statusOf(active.node(), "n4")).isEqualTo("joining");
        cluster.node("n4").startWith(List.of("--join", seeds));
        awaitStatus(active.node(), "n4", "voter");
        addOverHttp(active, cluster.node("n5"));
        cluster.node("n5").startWith(List.of("--join", seeds));
        awaitStatus(active.node(), "n5", "voter");
        // an id or an address already in use is refused with a clear error
        BatonJar.RunResult duplicate = cli.run("members", "add", "n4=127.0.0.1:7999:8999");
        assertThat(duplicate.exitCode()).isNotZero();
        assertThat(duplicate.output()).contains("'n4' is already a member");
        badRequestsGetClearErrors(active);
        awaitAckedAtLeast(writer.ackedCount() + 20); // writes go on with five voters
        assertThat(cluster.activeNow(0)).map(a -> a.term()).as("adding members moved no leadership").contains(active.term());

        // shrink: a follower, then the ACTIVE itself (it hands over first)
        NodeProcess follower = first.stream().filter(n -> !n.id().equals(active.id())).findFirst().orElseThrow();
        for (NodeProcess gone : List.of(follower, active.node())) {
            BatonJar.RunResult remove = cli.run("members", "remove", gone.id());
            assertThat(remove.exitCode()).as("members remove %s: %s", gone.id(), remove.output()).isZero();
            assertThat(gone.awaitExitCode(30)).as("exit code of removed %s", gone.id()).isEqualTo(9);
            assertThat(gone.log()).contains(gone.id() + " was removed from the cluster (remove " + gone.id() + ")");
        }
        TestCluster.Active after = cluster.awaitActive(active.term());
        assertThat(after.id()).isNotIn(follower.id(), active.id());
        assertThat(after.term()).as("only removing the ACTIVE moved leadership: one term more").isEqualTo(active.term() + 1);
        awaitAckedAtLeast(writer.ackedCount() + 20);
        List<NodeProcess> three = cluster.nodes().stream().filter(NodeProcess::isAlive).toList();
        assertThat(three).hasSize(3);
        JsonNode table = cluster.http().get(after.url() + "/v1/admin/members").tree();
        assertThat(table.get("members")).extracting(m -> m.get("id").asText() + ":" + m.get("status").asText())
                .containsExactlyInAnyOrderElementsOf(three.stream().map(n -> n.id() + ":voter").toList());

        // a standby dies for good; the removed follower's machine comes back empty as its replacement
        NodeProcess dead = three.stream().filter(n -> !n.id().equals(after.id())).findFirst().orElseThrow();
        NodeProcess survivor = three.stream().filter(n -> n != dead && n != after.node()).findFirst().orElseThrow();
        kill(dead);
        awaitAckedAtLeast(writer.ackedCount() + 10);
        // with one voter dead, removing a live one would leave no reachable majority: refused
        BatonJar.RunResult refused = cli.run("members", "remove", survivor.id());
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("would leave 2 voters of which only 1 are reachable");
        Http.Response removed = cluster.http().delete(after.url() + "/v1/admin/members/" + dead.id());
        assertThat(removed.status()).as("%s", removed).isEqualTo(200);
        NodeProcess fresh = follower;
        fresh.wipeData();
        addOverHttp(after, fresh);
        fresh.startWith(List.of("--join", after.url()));
        awaitStatus(after.node(), fresh.id(), "voter");
        awaitAckedAtLeast(writer.ackedCount() + 10);

        // the ACTIVE dies: 2 of the 3 voters are left, so the new member's vote is needed
        kill(after.node());
        TestCluster.Active next = cluster.awaitActive(after.term());
        assertThat(next.id()).isIn(survivor.id(), fresh.id());
        awaitAckedAtLeast(writer.ackedCount() + 10);
        writer.finish();
        System.out.printf("[it] members: %d writes acknowledged, %d without answer, longest gap between acks %d ms%n",
                writer.ackedCount(), writer.failures().size(), writer.longestGap().toMillis());
        assertAllAcknowledgedOn(survivor);
        assertAllAcknowledgedOn(fresh);
        assertNoTwoActive();
    }

    private void addOverHttp(TestCluster.Active at, NodeProcess n) {
        Http.Response r = cluster.http().method("POST", at.url() + "/v1/admin/members?spec=" + n.memberSpec(), new byte[0]);
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        assertThat(r.tree().get("members")).extracting(m -> m.get("id").asText() + ":" + m.get("status").asText())
                .contains(n.id() + ":joining");
    }

    /** Bad input to the membership API: a 4xx with a JSON body naming the problem, and nothing changed. */
    private void badRequestsGetClearErrors(TestCluster.Active active) {
        String members = active.url() + "/v1/admin/members";
        Http.Response bad = cluster.http().method("POST", members + "?spec=n9=127.0.0.1:notaport:8080", new byte[0]);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.error().error()).isEqualTo("invalid_parameter");
        assertThat(bad.error().message()).contains("'notaport'").contains("not a port number");
        Http.Response body = cluster.http().method("POST", members, "{\"id\": \"n9\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(body.status()).isEqualTo(400);
        assertThat(body.error().message()).contains("\"raftPort\"");
        Http.Response unknown = cluster.http().delete(members + "/n42");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error().error()).isEqualTo("unknown_member");
        assertThat(cluster.http().method("PUT", members, new byte[0]).status()).isEqualTo(405);
        NodeProcess standby = cluster.nodes().stream().filter(n -> n.isAlive() && !n.id().equals(active.id())).findFirst().orElseThrow();
        Http.Response redirected = cluster.http().method("POST", standby.url() + "/v1/admin/members?spec=n9=127.0.0.1:7999:8999", new byte[0]);
        assertThat(redirected.status()).as("a standby sends changes to the ACTIVE: %s", redirected).isEqualTo(307);
        assertThat(redirected.header("Location")).hasValueSatisfying(l -> assertThat(l).startsWith(active.url()));
        JsonNode table = cluster.http().get(members).tree();
        assertThat(table.get("members")).extracting(m -> m.get("id").asText()).containsExactly("n1", "n2", "n3", "n4", "n5");
    }

    private void kill(NodeProcess n) {
        n.kill9();
        killedAt.computeIfAbsent(n.id(), k -> new java.util.ArrayList<>()).add(System.nanoTime()); // same clock as the logs' mono
    }

    private void startWithMembers(List<NodeProcess> nodes) {
        String members = nodes.stream().map(NodeProcess::memberSpec).collect(Collectors.joining(","));
        nodes.forEach(n -> n.startWith(List.of("--members", members)));
    }

    /** The member's status ("voter", "joining") in {@code asked}'s table, or null. */
    private String statusOf(NodeProcess asked, String id) {
        JsonNode table = cluster.http().get(asked.url() + "/v1/admin/members").tree();
        for (JsonNode m : table.get("members")) {
            if (m.get("id").asText().equals(id)) {
                return m.get("status").asText();
            }
        }
        return null;
    }

    private void awaitStatus(NodeProcess asked, String id, String status) throws InterruptedException {
        long deadline = System.nanoTime() + TestCluster.WAIT.toNanos();
        String now = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                now = statusOf(asked, id);
            } catch (RuntimeException e) {
                now = e.toString();
            }
            if (status.equals(now)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(id + " is still " + now + ", not " + status + ", in " + asked.id() + "'s member table");
    }

    private void awaitAckedAtLeast(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TestCluster.WAIT.toNanos();
        while (writer.ackedCount() < n) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the writer has " + writer.ackedCount() + " acknowledged writes, expected " + n
                        + "; last failures " + writer.failures().stream().skip(Math.max(0, writer.failures().size() - 3)).toList());
            }
            Thread.sleep(50);
        }
    }

    /** Every acknowledged write, with its value, in {@code node}'s own replica (a stale read: no redirect). */
    private void assertAllAcknowledgedOn(NodeProcess node) throws InterruptedException {
        Map<String, String> acked = writer.acked();
        long deadline = System.nanoTime() + TestCluster.WAIT.toNanos();
        Map<String, String> missing;
        while (true) {
            Map<String, String> stored = new HashMap<>();
            Http.Response r = cluster.http().get(node.url() + "/v1/kv?prefix=" + writer.prefix() + "&stale=true&limit=100000");
            if (r.status() == 200) {
                for (JsonNode e : r.tree()) {
                    stored.put(e.get("key").asText(), e.get("value").asText());
                }
            }
            missing = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : acked.entrySet()) {
                if (!e.getValue().equals(stored.get(e.getKey()))) {
                    missing.put(e.getKey(), stored.get(e.getKey()));
                }
            }
            if (missing.isEmpty() || System.nanoTime() - deadline > 0) {
                break; // a replica may still be applying the last entries
            }
            Thread.sleep(200);
        }
        assertThat(missing).as("acknowledged writes missing or wrong on %s (of %d)", node.id(), acked.size()).isEmpty();
    }

    private void assertNoTwoActive() {
        Map<String, String> logs = new LinkedHashMap<>();
        cluster.nodes().forEach(n -> logs.put(n.id(), n.log()));
        List<RoleLog.Interval> intervals = RoleLog.activeIntervals(logs, killedAt, System.nanoTime());
        assertThat(RoleLog.overlaps(intervals)).as("overlapping ACTIVE intervals in the node logs").isEmpty();
    }
}
