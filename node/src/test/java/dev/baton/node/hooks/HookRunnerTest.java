package dev.baton.node.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.node.config.Operations;
import dev.baton.node.role.Role;
import dev.baton.node.role.RoleState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real /bin/sh hooks: order, environment, timeout, failure reporting. */
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
        try (HookRunner hooks = new HookRunner("n1", new Operations.Hooks("exit 3", "sleep 30", null, 300))) {
            hooks.onTransition(state(Role.CANDIDATE, 1, null), state(Role.ACTIVE, 1, "n1"));
            hooks.awaitIdle(10_000);
            assertThat(hooks.last().exitCode()).isEqualTo(3);
            assertThat(hooks.last().error()).contains("exited with 3");

            long start = System.nanoTime();
            hooks.onTransition(state(Role.ACTIVE, 1, "n1"), state(Role.STANDBY, 2, "n2"));
            hooks.awaitIdle(10_000);
            assertThat(hooks.last().ok()).isFalse();
            assertThat(hooks.last().error()).contains("killed after the 300 ms timeout");
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
        }
    }
}
