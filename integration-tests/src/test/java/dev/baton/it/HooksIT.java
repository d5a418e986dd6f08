package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.client.wire.NodeStatus;
import dev.baton.it.HookRecorder.HookLine;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Role hooks on three real node JVMs (issue 6): {@code on-active}, {@code on-standby} and {@code
 * on-fenced} run with {@code BATON_NODE_ID}, {@code BATON_ROLE}, {@code BATON_TERM} and {@code
 * BATON_LEADER}, in role order, on a switchover and on a crash of the ACTIVE (which runs nothing
 * more). The hooks append to a file per node ({@link HookRecorder}).
 */
@ExtendWith(NodeLogsOnFailure.class)
class HooksIT {

    private static HookRecorder hooks;
    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() throws IOException {
        hooks = new HookRecorder(TestCluster.itDir().resolve("HooksIT-hooks"));
        cluster = TestCluster.start("HooksIT", 3, hooks.nodeOptions());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void hooksRunWithTheirEnvironmentInRoleOrderOnSwitchoverAndCrash() {
        TestCluster.Active a0 = cluster.awaitSettled();
        NodeProcess target = cluster.others(a0.node()).get(0);
        Http.Response t = cluster.http().method("POST", a0.url() + "/v1/admin/transfer?to=" + target.id(), new byte[0]);
        assertThat(t.status()).as(t.toString()).isEqualTo(200);
        long term1 = t.tree().get("term").asLong();
        TestCluster.Active a1 = cluster.awaitActive(a0.term());
        assertThat(a1.id()).isEqualTo(target.id());

        // the new ACTIVE ran on-active with its new term and itself as leader
        assertThat(hooks.awaitLine(target.id(), "ACTIVE", term1))
                .contains(new HookLine(target.id(), "ACTIVE", term1, target.id()));
        // the old one ran on-fenced for the term it gave up, then on-standby following the target
        List<HookLine> old = hooks.awaitLine(a0.id(), "STANDBY", term1);
        HookLine fenced = new HookLine(a0.id(), "FENCED", a0.term(), "");
        assertThat(old).contains(fenced);
        assertThat(old.lastIndexOf(fenced)).isLessThan(old.indexOf(new HookLine(a0.id(), "STANDBY", term1, target.id())));
        NodeStatus s = cluster.statusOf(target);
        assertThat(s.lastHook()).isNotNull();
        System.out.printf("[it] lastHook of %s: %s%n", target.id(), s.lastHook());

        // crash of the ACTIVE: it runs nothing more; the successor runs on-active with the new term
        int linesBefore = hooks.lines(a1.id()).size();
        a1.node().kill9();
        TestCluster.Active a2 = cluster.awaitActive(a1.term());
        assertThat(hooks.awaitLine(a2.id(), "ACTIVE", a2.term()))
                .contains(new HookLine(a2.id(), "ACTIVE", a2.term(), a2.id()));
        assertThat(hooks.lines(a1.id())).hasSize(linesBefore);
        for (NodeProcess n : cluster.nodes()) {
            System.out.printf("[it] hooks of %s: %s%n", n.id(), hooks.lines(n.id()));
            hooks.assertOrderAndEnvironment(n.id());
        }
    }
}
