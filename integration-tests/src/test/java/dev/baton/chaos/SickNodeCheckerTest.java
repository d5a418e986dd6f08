package dev.baton.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A sick node's answers are judged only between its logged fault (plus the grace) and its logged recovery. */
class SickNodeCheckerTest {

    private static final String BEFORE = "=== harness starts n2\n[main] INFO n2 became STANDBY at term 2\n";
    private static final String FAULT = "[raft] ERROR StorageHealth - " + SickNodeChecker.FAULT_LINE
            + " until a write succeeds again: log: appending entries 7..7 failed: No space left on device\n";
    private static final String MIDDLE = "[raft] INFO n2 became UNHEALTHY at term 2\n";
    private static final String RECOVERED = "[probe] INFO StorageHealth - " + SickNodeChecker.RECOVERED_LINE
            + " log writes work again after 900 ms\n";
    private static final String LOG = BEFORE + FAULT + MIDDLE + RECOVERED + "[x] INFO n2 became STANDBY at term 2\n";
    private static final long FAULT_END = BEFORE.length() + FAULT.length();
    private static final long RECOVERY_AT = FAULT_END + MIDDLE.length();
    private static final long GRACE = 1000;

    private static HealthSample sample(long sent, long logBefore, long logAfter, String role, String health, int standby) {
        return new HealthSample(sent, sent + 10, logBefore, logAfter, role, health, standby);
    }

    private static SickNodeChecker.Result check(HealthSample... samples) {
        return SickNodeChecker.check(new SickNodeChecker.Watch(4, "n2", BEFORE.length() - 5, List.of(samples)), LOG, GRACE);
    }

    @Test
    void healthyAnswersBeforeTheFaultAndAfterTheRecoveryAreFine() {
        SickNodeChecker.Result r = check(
                sample(0, BEFORE.length(), BEFORE.length(), "STANDBY", "ok", 200),
                sample(100, FAULT_END, FAULT_END, "STANDBY", "ok", 200), // first seen: within the grace
                sample(2000, FAULT_END, FAULT_END, "UNHEALTHY", "unhealthy", 503),
                sample(3000, RECOVERY_AT, LOG.length(), "STANDBY", "ok", 200)); // answered after the recovery line
        assertThat(r.violations()).isEmpty();
        assertThat(r.windows()).isEqualTo(1);
        assertThat(r.sick()).isEqualTo(1);
    }

    @Test
    void anOkHealthAStandbyRoleOrA200FromHealthStandbyInTheWindowIsAViolation() {
        SickNodeChecker.Result r = check(
                sample(100, FAULT_END, FAULT_END, "UNHEALTHY", "unhealthy", 503),
                sample(1200, FAULT_END, FAULT_END, "STANDBY", "unhealthy", 503),
                sample(1300, FAULT_END, RECOVERY_AT, "UNHEALTHY", "ok", 503),
                sample(1400, FAULT_END, FAULT_END, "UNHEALTHY", "unhealthy", 200),
                sample(1500, FAULT_END, FAULT_END, null, null, 0)); // no answer: nothing claimed
        assertThat(r.violations()).hasSize(3).allSatisfy(v -> {
            assertThat(v.checker()).isEqualTo("sick-node-healthy");
            assertThat(v.summary()).contains("n2 reported healthy during fault 4");
            assertThat(v.detail()).contains("No space left on device").contains("log writes work again");
        });
    }

    @Test
    void withoutAFaultLineNothingIsJudged() {
        SickNodeChecker.Result r = SickNodeChecker.check(new SickNodeChecker.Watch(1, "n2", 0,
                List.of(sample(5000, 10, 10, "STANDBY", "ok", 200))), BEFORE, GRACE);
        assertThat(r.windows()).isZero();
        assertThat(r.violations()).isEmpty();
    }

    @Test
    void aFaultLoggedBeforeThisFaultBeganIsNotThisFaultsWindow() {
        SickNodeChecker.Result r = SickNodeChecker.check(new SickNodeChecker.Watch(9, "n2", LOG.length(),
                List.of(sample(5000, LOG.length(), LOG.length(), "STANDBY", "ok", 200))), LOG, GRACE);
        assertThat(r.windows()).isZero();
    }
}
