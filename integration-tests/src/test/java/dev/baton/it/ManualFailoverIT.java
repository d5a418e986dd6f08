package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.client.BatonClient;
import dev.baton.client.BatonException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Manual failover ({@code --failover=manual}) on three real node JVMs (issue 6): a new leader holds
 * the state but serves nothing until an operator promotes it ({@code baton promote} or HTTP), at
 * start-up and again after a crash of the ACTIVE; a planned switchover needs no approval.
 */
@ExtendWith(NodeLogsOnFailure.class)
class ManualFailoverIT {

    @Test
    void manualFailoverWaitsForPromoteAndSwitchoverNeedsNoApproval() throws Exception {
        try (TestCluster manual = TestCluster.create("ManualFailoverIT", 3, "--failover=manual")) {
            manual.startAll();
            ClusterWaits.RoleSeen p0 = manual.awaitRole("PENDING_APPROVAL", 0);
            manual.assertNoActive();
            Http.Response kv = manual.http().put(p0.node().url() + "/v1/kv/manual/x", "1");
            assertThat(kv.status()).as(kv.toString()).isEqualTo(503);
            assertThat(kv.error().error()).isEqualTo("awaiting_approval");
            try (BatonClient client = TestClients.builder(manual)
                    .requestTimeout(Duration.ofSeconds(3))
                    .deadline(Duration.ofSeconds(3))
                    .build()) {
                assertThatThrownBy(() -> client.put("manual/x", "1"))
                        .as("a write before promote")
                        .isInstanceOf(BatonException.class);
            }
            manual.assertNoActive();

            BatonJar.RunResult promote = BatonCli.against(manual).run("promote");
            assertThat(promote.exitCode()).as(promote.output()).isZero();
            assertThat(promote.output()).contains("promoted " + p0.node().id());
            TestCluster.Active a0 = manual.awaitActive();
            assertThat(a0.id()).isEqualTo(p0.node().id());
            assertThat(a0.term()).isEqualTo(p0.status().term());
            TestClients.put(manual, "manual/1", "one");
            manual.awaitSettled();

            // crash of the ACTIVE: the next leader waits again
            a0.node().kill9();
            ClusterWaits.RoleSeen p1 = manual.awaitRole("PENDING_APPROVAL", a0.term());
            manual.assertNoActive();
            Http.Response get = manual.http().get(p1.node().url() + "/v1/kv/manual/1");
            assertThat(get.status()).as(get.toString()).isEqualTo(503);
            assertThat(get.error().error()).isEqualTo("awaiting_approval");
            Http.Response promoted = manual.http().method("POST", p1.node().url() + "/v1/admin/promote", new byte[0]);
            assertThat(promoted.status()).as(promoted.toString()).isEqualTo(200);
            assertThat(promoted.tree().get("promoted").asBoolean()).isTrue();
            assertThat(promoted.tree().get("term").asLong()).isEqualTo(p1.status().term());
            TestCluster.Active a1 = manual.awaitActive(a0.term());
            assertThat(a1.id()).isEqualTo(p1.node().id());
            TestClients.assertReadable(manual, Map.of("manual/1", "one"));
            Http.Response again = manual.http().method("POST", a1.url() + "/v1/admin/promote", new byte[0]);
            assertThat(again.tree().get("promoted").asBoolean()).as(again.toString()).isFalse();

            // a planned switchover needs no approval: the target becomes ACTIVE directly
            manual.restartDead();
            manual.awaitSettled();
            NodeProcess target = manual.others(a1.node()).get(0);
            Http.Response t = manual.http().method("POST", a1.url() + "/v1/admin/transfer?to=" + target.id(), new byte[0]);
            assertThat(t.status()).as(t.toString()).isEqualTo(200);
            TestCluster.Active a2 = manual.awaitActive(a1.term());
            assertThat(a2.id()).isEqualTo(target.id());
            TestClients.assertReadable(manual, Map.of("manual/1", "one"));
            System.out.printf("[it] manual: promoted %s@%d; after kill -9 promoted %s@%d; transfer to %s@%d without approval%n",
                    a0.id(), a0.term(), a1.id(), a1.term(), a2.id(), a2.term());
        }
    }
}
