package dev.baton.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.it.DiskFaults;
import dev.baton.it.NodeLogsOnFailure;
import dev.baton.it.NodeProcess;
import dev.baton.it.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The nemesis's bookkeeping on a real cluster: a node that dies behind its back (here: a kill -9
 * the nemesis did not send, standing in for a crash) is an unexpected exit, hence a violation of
 * the run, and the final heal says what it restarted; a node dead at the final stop is one too.
 * And the disk faults on a cluster under load: each one bites (the node logs its storage fault),
 * is healed, and leaves nothing for the checkers to find.
 */
@ExtendWith(NodeLogsOnFailure.class)
// On demand with the 5-node chaos run (scripts/chaos.sh short): it checks the test tool, and
// DiskFaultIT and the 3-node ChaosIT run in every build show the same faults biting real nodes.
@EnabledIfSystemProperty(named = "chaos.full", matches = "true",
        disabledReason = "the nemesis self-test is on demand: scripts/chaos.sh short (or -Dchaos.full=true)")
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

    @Test
    void eachDiskFaultBitesIsHealedAndLeavesTheClusterWithoutViolations() throws Exception {
        String reason = DiskFaults.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "disk faults cannot run here: " + reason);
        List<String> keys = List.of("nemesis/k0", "nemesis/k1");
        TestCluster cluster = TestCluster.create("NemesisIT-disks", 3);
        try (DiskNemesis disks = new DiskNemesis(cluster, 7, keys)) {
            try {
                disks.mountDataDirs();
                cluster.startAll();
                cluster.awaitSettled();
                Nemesis nemesis = new Nemesis(cluster, 7, null, disks, keys, FaultCoverage.DISK_KINDS);
                try (Workload workload = new Workload(cluster, 2, keys, 7)) {
                    workload.start();
                    Thread.sleep(1000);
                    for (int i = 0; i < FaultCoverage.DISK_KINDS.size(); i++) { // one bag: each kind once
                        Fault f = nemesis.injectOne();
                        if (f.kind() != Fault.Kind.CORRUPT_STOPPED) {
                            assertThat(f.description()).as("%s", f).contains("logged a storage fault")
                                    .doesNotContain("NO storage fault");
                        }
                        nemesis.awaitActive(ChaosIT.LIVENESS_BOUND);
                    }
                    workload.stop();
                    assertThat(nemesis.countsByKind()).containsOnlyKeys(FaultCoverage.DISK_KINDS);
                    assertThat(nemesis.faultViolations()).isEmpty();
                    assertThat(ValueOriginChecker.check(workload.history(), nemesis.served())).isEmpty();
                    assertThat(nemesis.served()).isNotEmpty();
                }
                for (SickNodeChecker.Watch w : nemesis.healthWatches()) {
                    String log = new String(Files.readAllBytes(cluster.node(w.node()).logFile()), StandardCharsets.ISO_8859_1);
                    SickNodeChecker.Result r = SickNodeChecker.check(w, log, ChaosRun.SICK_GRACE.toNanos());
                    assertThat(r.violations()).isEmpty();
                    assertThat(r.windows()).as("storage faults logged by %s during fault %d", w.node(), w.fault())
                            .isPositive();
                }
                nemesis.healEverything();
                assertThat(nemesis.healActions()).isEmpty();
                assertThat(nemesis.unexpectedExits()).isEmpty();
            } finally {
                cluster.close(); // before the unmount
            }
        }
    }
}
