package dev.baton.node.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.node.config.Operations;
import dev.baton.node.role.Role;
import dev.baton.node.role.RoleState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real /bin/sh hooks: order, environment, timeout (the hook and its children killed), failure reporting. */
class HookRunnerTest {

    @TempDir
    Path dir;

    private static RoleState state(Role role, long term, String leader) {
        return new RoleState(role, term, leader, 0);
    }

    @Test
    void hooksRunInTransitionOrderWithTheirEnvironment() throws Exception {
        Path out = dir.resolve("events");
        String cmd = "echo \"$BATON_NODE_ID $BATON_ROLE $BATON_TERM $BATON_LEADER\" >> " + out;
        try (HookRunner hooks = new HookRunner("n2", new Operations.Hooks(cmd, cmd, cmd, 5_000))) {
            RoleState candidate = state(Role.CANDIDATE, 3, null);
            RoleState active = state(Role.ACTIVE, 3, "n2");
            RoleState fenced = state(Role.FENCED, 3, null);
            RoleState standby = state(Role.STANDBY, 4, "n1");
            hooks.onTransition(candidate, active);
            hooks.onTransition(active, fenced);
            hooks.onTransition(fenced, standby);
            hooks.onTransition(standby, state(Role.STANDBY, 5, "n3")); // same role: no hook
            hooks.awaitIdle(10_000);
            assertThat(Files.readAllLines(out)).containsExactly("n2 ACTIVE 3 n2", "n2 FENCED 3 ", "n2 STANDBY 4 n1");
            assertThat(hooks.last().ok()).isTrue();
            assertThat(hooks.last().event()).isEqualTo("on-standby");
        }
    }

    @Test
    void anActiveWhoseStorageFailsRunsItsOnFencedHookThenOnUnhealthyWithTheReason() throws Exception {
        // ACTIVE -> UNHEALTHY skips FENCED; a service guarded by on-fenced must still be stopped first
        Path out = dir.resolve("sick");
        String cmd = "echo \"$BATON_ROLE $BATON_TERM $BATON_REASON\" >> " + out;
        try (HookRunner hooks = new HookRunner("n1", new Operations.Hooks(null, null, "echo fenced >> " + out, cmd, 5_000))) {
            hooks.reasonFrom(() -> "log: appending entries 5..6 failed: No space left on device");
            hooks.onTransition(state(Role.ACTIVE, 3, "n1"), state(Role.UNHEALTHY, 3, "n1"));
            hooks.awaitIdle(10_000);
            assertThat(Files.readAllLines(out)).containsExactly("fenced",
                    "UNHEALTHY 3 log: appending entries 5..6 failed: No space left on device");
            assertThat(hooks.last().event()).isEqualTo("on-unhealthy");
        }
    }

    @Test
    void aHookIsNeverConcurrentWithTheNext() throws Exception {
        Path out = dir.resolve("order");
        String slow = "echo start-$BATON_ROLE >> " + out + "; sleep 0.3; echo end-$BATON_ROLE >> " + out;
        try (HookRunner hooks = new HookRunner("n1", new Operations.Hooks(slow, slow, null, 5_000))) {
            hooks.onTransition(state(Role.CANDIDATE, 1, null), state(Role.ACTIVE, 1, "n1"));
            hooks.onTransition(state(Role.ACTIVE, 1, "n1"), state(Role.STANDBY, 2, "n3"));
            hooks.awaitIdle(10_000);
            assertThat(Files.readAllLines(out)).isEqualTo(List.of("start-ACTIVE", "end-ACTIVE", "start-STANDBY", "end-STANDBY"));
        }
    }

    @Test
    void failingAndHangingHooksAreReportedNotFatal() throws Exception {
        // The hanging hook's sleep is a child of its shell and writes down its pid: the kill at the
        // timeout must reach it too, not only the shell.
        Path pidFile = dir.resolve("hung.pid");
        String hang = "sleep 30 & echo $! > " + pidFile + "; wait";
        try (HookRunner hooks = new HookRunner("n1", new Operations.Hooks("exit 3", hang, null, 1_000))) {
            hooks.onTransition(state(Role.CANDIDATE, 1, null), state(Role.ACTIVE, 1, "n1"));
            hooks.awaitIdle(10_000);
            assertThat(hooks.last().exitCode()).isEqualTo(3);
            assertThat(hooks.last().error()).contains("exited with 3");

            hooks.onTransition(state(Role.ACTIVE, 1, "n1"), state(Role.STANDBY, 2, "n2"));
            hooks.awaitIdle(20_000); // a bound for the test only: the hook is killed after 1 s or never
            assertThat(hooks.last().event()).isEqualTo("on-standby");
            assertThat(hooks.last().ok()).isFalse();
            assertThat(hooks.last().error()).contains("killed after the 1000 ms timeout");
            long sleepPid = Long.parseLong(Files.readString(pidFile).trim());
            assertThat(awaitGone(sleepPid)).as("the hung hook's child process %d after the kill", sleepPid).isTrue();
        }
    }

    /**
     * Waits (up to 10 s) for a killed process to exit; true if it no longer runs. A zombie counts
     * as gone: once killed, whether whoever inherited it reaps it is not the runner's business.
     */
    private static boolean awaitGone(long pid) throws InterruptedException {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return true;
        }
        try {
            handle.get().onExit().get(10, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return isZombie(pid);
        }
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException e) {
            return !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }
}
