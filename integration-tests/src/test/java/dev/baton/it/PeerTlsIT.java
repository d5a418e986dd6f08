package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.client.wire.MemberInfo;
import dev.baton.client.wire.NodeStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Peer TLS on real processes: a three-node cluster with certificates from a test CA elects and
 * replicates; then, with one member crashed (the moment the attack in the issue used), rogue
 * processes try to take its place or join beside it: (a) without TLS, (b) with a certificate from
 * another CA, (c) with the crashed member's valid certificate from another address, (d) with a
 * valid certificate for a non-member. None gets into the view (the rogue itself sees no member),
 * the ACTIVE and the term stay, the crashed member stays out until it is restarted, and the
 * members log the refusal with its reason. At the end the real member rejoins.
 */
@ExtendWith(NodeLogsOnFailure.class)
class PeerTlsIT {

    /** How long a rogue keeps trying while the cluster must stay as it was. */
    private static final Duration ROGUE_HOLD = Duration.ofSeconds(4);

    private static TestCluster cluster;
    private static LoopbackBlocks.Block rogueBlock;
    private static TestCertificates ca;
    private static TestCertificates otherCa;
    private static Path dir;

    @BeforeAll
    static void startCluster() throws Exception {
        dir = TestCluster.itDir().resolve("PeerTlsIT-certs");
        deleteRecursively(dir);
        ca = TestCertificates.newCa(dir, "cluster-ca");
        otherCa = TestCertificates.newCa(dir, "other-ca");
        Map<String, List<String>> perNode = Map.of("n1", ca.nodeOptions("n1"), "n2", ca.nodeOptions("n2"), "n3", ca.nodeOptions("n3"));
        cluster = TestCluster.create("PeerTlsIT", 3, perNode);
        rogueBlock = LoopbackBlocks.take(1);
        cluster.startAll();
        TestCluster.Active active = cluster.awaitSettled();
        System.out.printf("[it] PeerTlsIT: TLS cluster up, %s ACTIVE at term %d%n", active.id(), active.term());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (rogueBlock != null) {
            rogueBlock.close();
        }
    }

    @Test
    void tlsClusterReplicatesAndRefusesRogues() throws Exception {
        TestCluster.Active active = cluster.awaitActive();
        for (NodeProcess n : cluster.nodes()) {
            assertThat(Files.readString(n.logFile())).as("%s log", n.id()).contains(n.id() + ": peer TLS on");
        }
        Http.Response put = cluster.http().put(active.url() + Http.kvPath("tls/k"), "v1");
        assertThat(put.status()).as("%s", put).isEqualTo(200);
        long revision = cluster.statusOf(active.node()).revision();
        await().atMost(TestCluster.WAIT).untilAsserted(() -> {
            for (NodeProcess n : cluster.nodes()) {
                assertThat(cluster.statusOf(n).appliedIndex()).as("%s applied", n.id())
                        .isGreaterThanOrEqualTo(cluster.statusOf(active.node()).commitIndex());
                assertThat(cluster.statusOf(n).revision()).as("%s revision", n.id()).isEqualTo(revision);
            }
        });

        // the attack in the issue: a member crashes, then someone else claims its id
        NodeProcess victim = cluster.others(active.node()).get(0);
        victim.kill9();
        List<NodeProcess> live = cluster.others(victim);
        await().atMost(TestCluster.WAIT).until(() -> live.stream().noneMatch(n -> connected(cluster.statusOf(n), victim.id())));
        TestCluster.Active before = cluster.awaitActive();
        assertThat(before.term()).as("losing a standby changes no term").isEqualTo(active.term());

        String rogueHost = rogueBlock.hosts().get(0);
        String asVictim = cluster.nodes().stream()
                .map(n -> n == victim ? victim.id() + "=" + rogueHost + ":" + TestCluster.RAFT_PORT + ":" + TestCluster.HTTP_PORT : n.memberSpec())
                .collect(Collectors.joining(","));
        String besides = live.get(0).membersSpec() + ",s4=" + rogueHost + ":" + TestCluster.RAFT_PORT + ":" + TestCluster.HTTP_PORT;

        // (a) no TLS at all
        rogue("a-plain", victim.id(), asVictim, List.of(), before, victim, "not TLS");
        // (b) a certificate from another CA; the rogue trusts the cluster CA too (its certificate is no secret)
        Path bothCas = dir.resolve("both-cas.pem");
        Files.writeString(bothCas, Files.readString(otherCa.caPem()) + Files.readString(ca.caPem()));
        rogue("b-other-ca", victim.id(), asVictim, otherCa.nodeOptions(victim.id(), bothCas), before, victim,
                "certificate not issued by the cluster CA");
        // (c) the crashed member's own valid certificate, from another address
        rogue("c-stolen-cert", victim.id(), asVictim, ca.nodeOptions(victim.id()), before, victim,
                "certificate used from another host than its member's (certificate for '" + victim.id() + "' used from " + rogueHost);
        // (d) a valid certificate for a non-member
        rogue("d-non-member", "s4", besides, ca.nodeOptions("s4"), before, victim, "certificate names no member (certificate names [s4]");

        // the real member is not locked out
        victim.restart();
        await().atMost(TestCluster.WAIT).until(() -> live.stream().allMatch(n -> connected(cluster.statusOf(n), victim.id())));
        TestCluster.Active after = cluster.awaitActive();
        assertThat(after.id()).isEqualTo(before.id());
        assertThat(after.term()).isEqualTo(before.term());
        // its peers see it join before its HTTP server is up: ask until it answers
        await().atMost(TestCluster.WAIT).untilAsserted(() ->
                assertThat(cluster.tryStatus(victim).map(NodeStatus::revision)).as("restarted %s caught up", victim.id()).contains(revision));
    }

    @Test
    void badPeerTlsFilesStopStartUpNamingTheOption() throws Exception {
        String host = rogueBlock.hosts().get(0);
        String members = "n1=" + host + ":" + TestCluster.RAFT_PORT + ":" + TestCluster.HTTP_PORT;
        Path wrongPassword = Files.writeString(dir.resolve("wrong.password"), "not-it\n");
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello\n");
        Object[][] cases = {
            // a node whose certificate names another member refuses to start
            {"other-id", ca.nodeOptions("n2"), "--peer-tls-keystore", "must name this node's --id 'n1'"},
            {"other-ca", List.of("--peer-tls-ca", ca.caPem().toString(), "--peer-tls-keystore", otherCa.keystore("n1").toString(),
                    "--peer-tls-password-file", otherCa.passwordFile().toString()), "--peer-tls-ca", "is not valid under the CA"},
            {"wrong-password", List.of("--peer-tls-ca", ca.caPem().toString(), "--peer-tls-keystore", ca.keystore("n1").toString(),
                    "--peer-tls-password-file", wrongPassword.toString()), "--peer-tls-password-file", "wrong.password"},
            {"bad-ca-file", List.of("--peer-tls-ca", notPem.toString(), "--peer-tls-keystore", ca.keystore("n1").toString(),
                    "--peer-tls-password-file", ca.passwordFile().toString()), "--peer-tls-ca", "not.pem"},
            {"missing-keystore", List.of("--peer-tls-ca", ca.caPem().toString(), "--peer-tls-keystore", dir.resolve("nope.p12").toString(),
                    "--peer-tls-password-file", ca.passwordFile().toString()), "--peer-tls-keystore", "nope.p12"},
            {"keystore-alone", List.of("--peer-tls-keystore", ca.keystore("n1").toString()), "--peer-tls-ca", "is required"},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            List<String> tls = (List<String>) c[1];
            List<String> args = new ArrayList<>(List.of("node", "--id", "n1", "--members", members,
                    "--data-dir", dir.resolve("start-" + c[0]).toString()));
            args.addAll(tls);
            BatonJar.RunResult r = BatonJar.run(dir.resolve("start-" + c[0] + ".log"), Duration.ofSeconds(60), args);
            assertThat(r.timedOut()).as("%s: still running", c[0]).isFalse();
            assertThat(r.exitCode()).as("%s exit code, output:%n%s", c[0], r.output()).isEqualTo(2);
            assertThat(r.output()).as("%s", c[0]).contains("invalid configuration: " + c[2] + ":").contains((String) c[3]);
        }
    }

    /**
     * Runs one rogue node until a live member has logged its refusal, and for {@link #ROGUE_HOLD}
     * after: the ACTIVE and term must not move, the crashed victim must stay out of the live
     * members' view, and the rogue must see none of them.
     */
    private void rogue(String name, String id, String members, List<String> options, TestCluster.Active before, NodeProcess victim,
            String reason) throws Exception {
        String rogueHost = rogueBlock.hosts().get(0);
        NodeProcess rogue = new NodeProcess(id, rogueHost, TestCluster.RAFT_PORT, TestCluster.HTTP_PORT, members,
                cluster.dir().resolve("rogue-" + name), options);
        List<NodeProcess> live = cluster.others(victim);
        long refusalsBefore = countRefusals(live, rogueHost, reason);
        long countedBefore = countedRefusals(live);
        rogue.start();
        try {
            await().atMost(TestCluster.WAIT).until(() -> countRefusals(live, rogueHost, reason) > refusalsBefore);
            // counted where an operator looks, not only logged: /v1/status (and baton_peer_refusals_total)
            await().atMost(TestCluster.WAIT).until(() -> countedRefusals(live) > countedBefore);
            await().during(ROGUE_HOLD).atMost(ROGUE_HOLD.plusSeconds(30)).untilAsserted(() -> {
                for (NodeProcess n : live) {
                    NodeStatus s = cluster.statusOf(n);
                    assertThat(s.term()).as("%s term while rogue %s runs", n.id(), name).isEqualTo(before.term());
                    assertThat(s.leader()).as("%s leader", n.id()).isNotNull();
                    assertThat(s.leader().id()).as("%s leader", n.id()).isEqualTo(before.id());
                    if (n.id().equals(before.id())) {
                        assertThat(s.role()).as("%s role while rogue %s runs", n.id(), name).isEqualTo("ACTIVE");
                    }
                    assertThat(connected(s, victim.id())).as("%s sees %s connected", n.id(), victim.id()).isFalse();
                }
            });
            // the view is shared: had the rogue got in, it would list the members as connected
            NodeStatus seen = await().atMost(TestCluster.WAIT).until(() -> cluster.tryStatus(rogue), Optional::isPresent).get();
            for (MemberInfo m : seen.members()) {
                if (!m.id().equals(id)) {
                    assertThat(m.connected()).as("rogue %s sees member %s", name, m.id()).isFalse();
                }
            }
            assertThat(seen.role()).as("rogue %s role", name).isNotEqualTo("ACTIVE");
            System.out.printf("[it] PeerTlsIT: rogue %s refused (%s)%n", name, reason);
        } finally {
            rogue.terminate();
        }
    }

    /** The refusals the live members report in /v1/status, all reasons. */
    private long countedRefusals(List<NodeProcess> live) {
        long sum = 0;
        for (NodeProcess n : live) {
            java.util.Map<String, Long> byReason = cluster.statusOf(n).peerRefusals();
            assertThat(byReason).as("%s: peer TLS is on, so refusals are reported", n.id()).isNotNull();
            sum += byReason.values().stream().mapToLong(Long::longValue).sum();
        }
        return sum;
    }

    private static boolean connected(NodeStatus status, String id) {
        return status.members().stream().anyMatch(m -> m.id().equals(id) && m.connected());
    }

    /** Refusal lines for {@code host} with {@code reason} in the live members' logs. */
    private static long countRefusals(List<NodeProcess> live, String host, String reason) throws Exception {
        long n = 0;
        for (NodeProcess p : live) {
            for (String line : Files.readAllLines(p.logFile())) {
                if (line.contains("refused peer " + host + ": " + reason)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static void deleteRecursively(Path p) throws Exception {
        if (!Files.exists(p)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (var s = Files.walk(p)) {
            s.forEach(all::add);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Files.delete(all.get(i));
        }
    }
}
