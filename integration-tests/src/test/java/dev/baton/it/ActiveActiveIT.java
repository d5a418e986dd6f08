package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Active-active mode ({@code --mode=active-active}) on three real node JVMs, n3 with {@code
 * --no-failover} (issue 6): every node serves reads from its own replica with its applied index
 * and staleness, writes to a standby are forwarded to the ACTIVE, reads go on through the loss of a
 * follower and then of the ACTIVE, and the no-failover node is never ACTIVE.
 */
@ExtendWith(NodeLogsOnFailure.class)
class ActiveActiveIT {

    @Test
    void activeActiveReadsSurviveLossOfFollowerAndActiveAndNoFailoverNodeIsNeverActive() throws Exception {
        try (TestCluster aa = TestCluster.create("ActiveActiveIT", 3, Map.of("n3", List.of("--no-failover")),
                "--mode=active-active")) {
            NodeProcess n3 = aa.node("n3");
            List<String> n3Roles = new CopyOnWriteArrayList<>();
            AtomicBoolean stopWatch = new AtomicBoolean();
            // every role n3 reports over the whole test, polled every 50 ms
            Thread watcher = new Thread(() -> {
                while (!stopWatch.get()) {
                    aa.tryStatus(n3).ifPresent(s -> {
                        String seen = s.role() + "@" + s.term();
                        if (n3Roles.isEmpty() || !n3Roles.get(n3Roles.size() - 1).equals(seen)) {
                            n3Roles.add(seen);
                        }
                    });
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "n3-watch");
            aa.startAll();
            watcher.start();
            try {
                TestCluster.Active a0 = aa.awaitSettled();
                assertThat(a0.id()).isNotEqualTo("n3");
                TestClients.put(aa, "aa/k", "v1");
                aa.awaitSettled();

                // every node answers a read from its own replica, with its applied index and staleness
                for (NodeProcess n : aa.nodes()) {
                    Http.Response r = aa.http().get(n.url() + "/v1/kv/aa/k");
                    assertThat(r.status()).as(r.toString()).isEqualTo(200);
                    assertThat(r.header("Baton-Applied-Index")).as(r.headers().toString()).isPresent();
                    assertThat(r.header("Baton-Staleness-Ms")).as(r.headers().toString()).isPresent();
                    Http.Response list = aa.http().get(n.url() + "/v1/kv?prefix=aa/");
                    assertThat(list.status()).as(list.toString()).isEqualTo(200);
                }
                // linearizable=true takes the log path: a standby redirects
                NodeProcess standby = aa.others(a0.node()).get(0);
                Http.Response lin = aa.http().get(standby.url() + "/v1/kv/aa/k?linearizable=true");
                assertThat(lin.status()).as(lin.toString()).isEqualTo(307);
                // a write sent to a standby is forwarded to the ACTIVE
                Http.Response fw = aa.http().put(standby.url() + "/v1/kv/aa/fw", "forwarded");
                assertThat(fw.status()).as(fw.toString()).isEqualTo(200);
                assertThat(fw.header("Baton-Forwarded-To")).contains(a0.url());
                assertThat(fw.tree().get("term").asLong()).isEqualTo(a0.term());

                // loss of a follower (not n3): reads go on at the ACTIVE and at n3
                NodeProcess follower = aa.others(a0.node()).stream().filter(n -> n != n3).findFirst().orElseThrow();
                try (ReplicaReader reader = new ReplicaReader(aa, List.of(a0.node(), n3), "aa/k", "v1")) {
                    readOnAcross(reader, follower::kill9);
                    System.out.printf("[it] aa: follower %s killed: %d reads ok, failures %s%n",
                            follower.id(), reader.ok(), reader.failures());
                    assertThat(reader.failures()).isEmpty();
                }
                // ... then of the ACTIVE: n3 alone (no majority, no ACTIVE) keeps serving stale reads
                try (ReplicaReader reader = new ReplicaReader(aa, List.of(n3), "aa/k", "v1")) {
                    readOnAcross(reader, a0.node()::kill9);
                    System.out.printf("[it] aa: then active %s killed: n3 %d reads ok, failures %s%n",
                            a0.id(), reader.ok(), reader.failures());
                    assertThat(reader.failures()).isEmpty();
                }
                Http.Response alone = aa.http().get(n3.url() + "/v1/kv/aa/fw");
                assertThat(alone.status()).as(alone.toString()).isEqualTo(200);
                System.out.printf("[it] aa: n3 alone: staleness %s ms, applied index %s%n",
                        alone.header("Baton-Staleness-Ms").orElse("?"), alone.header("Baton-Applied-Index").orElse("?"));

                // back to three; then kill -9 of the ACTIVE with both others up: reads go on, and the
                // successor is never n3 (elected, it hands over at once)
                aa.restartDead();
                TestCluster.Active a1 = aa.awaitSettled();
                assertThat(a1.id()).isNotEqualTo("n3");
                NodeProcess other = aa.others(a1.node()).stream().filter(n -> n != n3).findFirst().orElseThrow();
                try (ReplicaReader reader = new ReplicaReader(aa, List.of(other, n3), "aa/k", "v1")) {
                    TestCluster.Active[] a2 = new TestCluster.Active[1];
                    readOnAcross(reader, () -> {
                        a1.node().kill9();
                        a2[0] = aa.awaitActive(a1.term());
                    });
                    System.out.printf("[it] aa: active %s killed, %s ACTIVE at term %d: %d reads ok, failures %s%n",
                            a1.id(), a2[0].id(), a2[0].term(), reader.ok(), reader.failures());
                    assertThat(reader.failures()).isEmpty();
                    assertThat(a2[0].id()).isEqualTo(other.id());
                }
                // a write through n3 (a standby) is forwarded to the new ACTIVE
                Http.Response fw2 = aa.http().put(n3.url() + "/v1/kv/aa/fw2", "again");
                assertThat(fw2.status()).as(fw2.toString()).isEqualTo(200);
                assertThat(fw2.header("Baton-Forwarded-To")).contains(other.url());
                aa.restartDead();
                aa.awaitSettled();
            } finally {
                stopWatch.set(true);
                watcher.join(5_000);
                System.out.printf("[it] aa: roles of the no-failover n3 over the test: %s%n", n3Roles);
            }
            assertThat(n3Roles).isNotEmpty().noneMatch(r -> r.startsWith("ACTIVE"));
            assertThat(n3.log()).doesNotContain("became ACTIVE");
        }
    }

    /** 20 good reads, then {@code fault}, then 40 more good reads; then the reader stops. */
    private static void readOnAcross(ReplicaReader reader, Runnable fault) {
        await().atMost(TestCluster.WAIT).until(() -> reader.ok() >= 20);
        fault.run();
        long okAt = reader.ok();
        await().atMost(TestCluster.WAIT).until(() -> reader.ok() >= okAt + 40);
        reader.finish();
    }
}
