package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.client.wire.NodeStatus;
import dev.baton.node.BatonNode;
import dev.baton.node.config.NodeConfig;
import dev.baton.node.role.Role;
import dev.baton.node.role.RoleState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An embedded {@link BatonNode} (in this test JVM) beside two node processes (issue 6): its
 * listeners see the transitions in order (STANDBY, then ACTIVE after a switchover to it, with
 * growing terms), and {@link BatonNode#close()} of the ACTIVE embedded node hands over to a process
 * node.
 *
 * <p>The cluster is created with three members, but only n1 and n2 run as processes; the embedded
 * node takes n3's address and data directory.
 */
@ExtendWith(NodeLogsOnFailure.class)
class EmbeddedNodeIT {

    @Test
    void embeddedListenersSeeTransitionsInOrderAndCloseHandsOver() throws Exception {
        try (TestCluster cluster = TestCluster.create("EmbeddedNodeIT", 3)) {
            NodeProcess slot = cluster.node("n3"); // never started: the embedded node takes its place
            cluster.node("n1").start();
            cluster.node("n2").start();
            TestCluster.Active a0 = cluster.awaitSettled();

            List<String> callbacks = new CopyOnWriteArrayList<>();
            List<RoleState> transitions = new CopyOnWriteArrayList<>();
            NodeConfig config = NodeConfig.builder()
                    .nodeId("n3")
                    .members(slot.membersSpec())
                    .dataDir(slot.dataDir())
                    .build();
            BatonNode embedded = BatonNode.builder(config)
                    .onActive(term -> callbacks.add("ACTIVE " + term))
                    .onStandby(term -> callbacks.add("STANDBY " + term))
                    .onFenced(term -> callbacks.add("FENCED " + term))
                    .listener((from, to) -> transitions.add(to))
                    .start();
            boolean closed = false;
            try {
                // joins as a caught-up STANDBY of the running ACTIVE
                NodeStatus st = cluster.awaitCaughtUpStandby(slot, a0);
                assertThat(embedded.role().role()).isEqualTo(Role.STANDBY);
                assertThat(callbacks).first().isEqualTo("STANDBY " + st.term());

                // switchover to the embedded node: onActive gets the new term
                TestCluster.Active a = cluster.awaitActive();
                Http.Response t = cluster.http().method("POST", a.url() + "/v1/admin/transfer?to=n3", new byte[0]);
                assertThat(t.status()).as(t.toString()).isEqualTo(200);
                long activeTerm = t.tree().get("term").asLong();
                await("embedded onActive").atMost(TestCluster.WAIT)
                        .until(() -> callbacks.contains("ACTIVE " + activeTerm));
                assertThat(embedded.role().role()).isEqualTo(Role.ACTIVE);
                assertThat(cluster.http().get(slot.url() + "/health/active").status()).isEqualTo(200);
                Http.Response put = cluster.http().put(slot.url() + "/v1/kv/embedded/k", "v");
                assertThat(put.status()).as(put.toString()).isEqualTo(200);

                // close() hands over: a process node becomes ACTIVE with a higher term; onFenced came first
                long closeStart = System.nanoTime();
                embedded.close();
                closed = true;
                long closeMs = (System.nanoTime() - closeStart) / 1_000_000;
                TestCluster.Active after = cluster.awaitActive(activeTerm);
                assertThat(after.id()).isIn("n1", "n2");
                assertThat(callbacks).contains("FENCED " + activeTerm);
                Http.Response get = cluster.http().get(after.url() + "/v1/kv/embedded/k");
                assertThat(get.status()).as(get.toString()).isEqualTo(200);
                System.out.printf("[it] embedded: callbacks %s; close() took %d ms; then %s ACTIVE at term %d%n",
                        callbacks, closeMs, after.id(), after.term());
            } finally {
                if (!closed) {
                    embedded.close();
                }
                System.out.printf("[it] embedded transitions: %s%n", transitions);
            }

            // callbacks in transition order: STANDBY, ACTIVE, FENCED; terms and times never go back
            assertThat(callbacks.stream().map(c -> c.split(" ")[0]).toList())
                    .containsSubsequence("STANDBY", "ACTIVE", "FENCED");
            for (int i = 1; i < transitions.size(); i++) {
                assertThat(transitions.get(i).term()).as("terms in order: %s", transitions)
                        .isGreaterThanOrEqualTo(transitions.get(i - 1).term());
                assertThat(transitions.get(i).monotonicNanos()).as("times in order: %s", transitions)
                        .isGreaterThanOrEqualTo(transitions.get(i - 1).monotonicNanos());
            }
        }
    }
}
