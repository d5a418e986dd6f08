package dev.baton.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A fault kind that did not run is never silent: a violation under CI, a reported gap elsewhere (partition and disk kinds need root). */
class FaultCoverageTest {

    private static Map<Fault.Kind, Integer> injected(Fault.Kind... kinds) {
        Map<Fault.Kind, Integer> m = new EnumMap<>(Fault.Kind.class);
        for (Fault.Kind k : kinds) {
            m.merge(k, 1, Integer::sum);
        }
        return m;
    }

    @Test
    void withoutIptablesThePartitionKindsAreNotDrawn() {
        FaultCoverage c = FaultCoverage.of("network partitions need root", null, false);
        assertThat(c.available()).containsExactly(Fault.Kind.KILL, Fault.Kind.PAUSE, Fault.Kind.TERMINATE,
                Fault.Kind.DISK_FULL, Fault.Kind.LOG_UNWRITABLE, Fault.Kind.CORRUPT_STOPPED, Fault.Kind.REPLACE_MEMBER);
        assertThat(FaultCoverage.of(null, null, false).available()).containsExactly(Fault.Kind.values());
    }

    @Test
    void withoutRootNeitherPartitionNorDiskKindsAreDrawn() {
        FaultCoverage c = FaultCoverage.of("network partitions need root", "disk faults need root", false);
        assertThat(c.available()).containsExactly(Fault.Kind.KILL, Fault.Kind.PAUSE, Fault.Kind.TERMINATE,
                Fault.Kind.REPLACE_MEMBER);
        assertThat(c.missing(injected(Fault.Kind.KILL))).containsEntry(Fault.Kind.CORRUPT_STOPPED,
                "cannot run here: disk faults need root").containsEntry(Fault.Kind.SPLIT,
                "cannot run here: network partitions need root");
    }

    @Test
    void underCiAMachineThatCannotMountRefusesToRun() {
        assertThat(FaultCoverage.of(null, "disk faults need root", true).refusal())
                .contains("[DISK_FULL, LOG_UNWRITABLE, CORRUPT_STOPPED]").contains("disk faults need root");
    }

    @Test
    void underCiAMachineWithoutIptablesRefusesToRun() {
        assertThat(FaultCoverage.of("network partitions need root", null, true).refusal())
                .contains("CI=true").contains("[ISOLATE_ACTIVE, SPLIT, BRIDGE]").contains("network partitions need root");
        assertThat(FaultCoverage.of("network partitions need root", null, false).refusal()).isNull();
        assertThat(FaultCoverage.of(null, null, true).refusal()).isNull();
    }

    @Test
    void underCiEveryKindThatDidNotRunIsAViolation() {
        FaultCoverage c = FaultCoverage.of(null, null, true);
        var v = c.violations(injected(Fault.Kind.KILL, Fault.Kind.PAUSE, Fault.Kind.TERMINATE, Fault.Kind.SPLIT,
                Fault.Kind.BRIDGE, Fault.Kind.DISK_FULL, Fault.Kind.LOG_UNWRITABLE, Fault.Kind.CORRUPT_STOPPED,
                Fault.Kind.REPLACE_MEMBER));
        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.checker()).isEqualTo("fault-coverage");
            assertThat(x.summary()).contains("ISOLATE_ACTIVE").contains("not drawn in 9 faults");
        });
        assertThat(c.violations(injected(Fault.Kind.values()))).isEmpty();
    }

    @Test
    void elsewhereMissingKindsAreReportedWithTheirReasonButAreNoViolation() {
        FaultCoverage c = FaultCoverage.of("iptables not available", null, false);
        Map<Fault.Kind, Integer> ran = injected(Fault.Kind.KILL, Fault.Kind.PAUSE, Fault.Kind.TERMINATE,
                Fault.Kind.DISK_FULL, Fault.Kind.LOG_UNWRITABLE, Fault.Kind.CORRUPT_STOPPED, Fault.Kind.REPLACE_MEMBER);
        assertThat(c.violations(ran)).isEmpty();
        assertThat(c.missing(ran)).containsOnlyKeys(FaultCoverage.PARTITION_KINDS)
                .allSatisfy((k, why) -> assertThat(why).isEqualTo("cannot run here: iptables not available"));
    }
}
