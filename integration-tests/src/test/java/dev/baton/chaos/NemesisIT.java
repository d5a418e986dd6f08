package dev.baton.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.it.NodeLogsOnFailure;
import dev.baton.it.NodeProcess;
import dev.baton.it.TestCluster;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The nemesis's bookkeeping on a real cluster: a node that dies behind its back (here: a kill -9
 * the nemesis did not send, standing in for a crash) is an unexpected exit, hence a violation of
 * the run, and the final heal says what it restarted; a node dead at the final stop is one too.
 */
@ExtendWith(NodeLogsOnFailure.class)
class NemesisIT {

    @Test
    void nodesThatDieOnTheirOwnAreRecordedAndTheFinalHealSaysWhatItRestarted() {
        try (TestCluster cluster = TestCluster.start("NemesisIT", 3)) {
            Nemesis nemesis = new Nemesis(cluster, 1, null,
                    List.of(Fault.Kind.KILL, Fault.Kind.PAUSE, Fault.Kind.TERMINATE));
            TestCluster.Active active = cluster.awaitActive();
            NodeProcess crashed = cluster.others(active.node()).get(0);
            crashed.kill9();

            nemesis.healEverything();
            assertThat(crashed.isAlive()).as("%s restarted by the final heal", crashed.id()).isTrue();
            assertThat(nemesis.unexpectedExits()).singleElement().satisfies(e -> {
                assertThat(e.node()).isEqualTo(crashed.id());
                assertThat(e.exitCode()).isEqualTo(137);
                assertThat(e.violation().checker()).isEqualTo("node-exit");
                assertThat(e.violation().summary()).contains(crashed.id() + " exited on its own").contains("final heal");
            });
            assertThat(nemesis.healActions()).containsExactly("restarted " + crashed.id() + ", which had exited on its own");
            assertThat(nemesis.processEnds().get(crashed.id())).hasSize(1);

            NodeProcess other = cluster.others(crashed).get(0);
            other.kill9();
            nemesis.stopAll();
            assertThat(nemesis.unexpectedExits()).hasSize(2).last().satisfies(e -> {
                assertThat(e.node()).isEqualTo(other.id());
                assertThat(e.when()).isEqualTo("after the final heal");
            });
            assertThat(cluster.nodes()).noneMatch(NodeProcess::isAlive);
        }
    }
}
