package dev.baton.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.node.health.StorageFault;
import dev.baton.node.health.StorageHealth;
import dev.baton.node.hooks.HookResult;
import dev.baton.node.role.Role;
import dev.baton.node.role.RoleState;
import dev.baton.node.role.RoleView;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeMetricsTest {

    private final StubConsensus consensus = new StubConsensus();
    private final NodeMetrics metrics = NodeMetrics.create("n1", consensus);

    private static RoleView view(Role role, long term, String leader) {
        return new RoleView(new RoleState(role, term, leader, 0), true);
    }

    private List<String> samples() {
        String text = new String(metrics.scrape(null).body(), StandardCharsets.UTF_8);
        return text.lines().filter(l -> l.startsWith("baton_")).toList();
    }

    @Test
    void roleTermAndLeaderAreReadAtScrapeTime() {
        assertThat(samples()).contains("baton_is_active 0.0", "baton_has_leader 0.0", "baton_term 0.0",
                "baton_role{role=\"CANDIDATE\"} 1.0");

        consensus.publish(view(Role.ACTIVE, 4, "n1"));

        assertThat(samples()).contains("baton_is_active 1.0", "baton_has_leader 1.0", "baton_term 4.0",
                "baton_role{role=\"ACTIVE\"} 1.0", "baton_role{role=\"CANDIDATE\"} 0.0", "baton_role{role=\"UNHEALTHY\"} 0.0");
    }

    @Test
    void leaderChangesAndFencingsAreCountedAsTheyHappen() {
        consensus.publish(view(Role.STANDBY, 1, "n2"));
        consensus.publish(view(Role.CANDIDATE, 2, null));
        consensus.publish(view(Role.ACTIVE, 2, "n1"));
        consensus.publish(view(Role.FENCED, 2, null));
        consensus.publish(view(Role.STANDBY, 3, "n3"));

        assertThat(samples()).contains("baton_leader_changes_total 3.0", "baton_fenced_total 1.0");
    }

    @Test
    void theLeaderKnownBeforeTheMetricsCountsOnce() {
        StubConsensus running = new StubConsensus();
        running.publish(view(Role.STANDBY, 5, "n2"));
        NodeMetrics late = NodeMetrics.create("n1", running);
        running.publish(view(Role.STANDBY, 5, "n2"));

        String text = new String(late.scrape(null).body(), StandardCharsets.UTF_8);
        assertThat(text.lines()).contains("baton_leader_changes_total 1.0");
    }

    @Test
    void replicationSeriesPerPeerInBaseUnits() {
        consensus.lease = 1500;
        consensus.commit = 42;
        consensus.lag = Map.of("n2", 0L, "n3", 17L);
        consensus.heard = Map.of("n2", 250L);

        assertThat(samples()).contains("baton_lease_remaining_seconds 1.5", "baton_commit_index 42.0", "baton_applied_index 42.0",
                "baton_follower_lag_entries{peer=\"n2\"} 0.0", "baton_follower_lag_entries{peer=\"n3\"} 17.0",
                "baton_peer_heartbeat_age_seconds{peer=\"n2\"} 0.25");

        consensus.lease = -1;
        assertThat(samples()).contains("baton_lease_remaining_seconds 0.0");
    }

    @Test
    void storageWritesAndFaults() {
        metrics.storage().appended(3, 2_000_000, 1_000_000);
        metrics.storage().appended(1, 500_000, -1);
        metrics.storage().snapshotStored(4_000_000);

        assertThat(samples()).contains("baton_log_append_duration_seconds_count 2", "baton_log_fsync_duration_seconds_count 1",
                "baton_log_appended_entries_total 4.0", "baton_snapshot_duration_seconds_count 1", "baton_storage_healthy 1.0",
                "baton_storage_fault{part=\"log\"} 0.0");

        consensus.publish(new RoleView(new RoleState(Role.UNHEALTHY, 1, null, 0), false,
                new StorageFault(StorageHealth.Part.LOG_DATA, "crc mismatch", 0)));

        assertThat(samples()).contains("baton_storage_healthy 0.0", "baton_storage_fault{part=\"log_data\"} 1.0",
                "baton_storage_fault{part=\"log\"} 0.0");
    }

    @Test
    void hookRunsAndFailuresByEvent() {
        metrics.hooks().accept(new HookResult("on-active", 1, "true", 0, 5, null, 0));
        metrics.hooks().accept(new HookResult("on-active", 2, "false", 1, 5, "exited with 1", 0));

        assertThat(samples()).contains("baton_hook_runs_total{event=\"on-active\"} 2.0",
                "baton_hook_failures_total{event=\"on-active\"} 1.0", "baton_hook_runs_total{event=\"on-fenced\"} 0.0");
    }

    @Test
    void requestsByOperationAndStatus() {
        metrics.requests().observe("kv_put", 200, 3_000_000);

        assertThat(samples()).contains("baton_http_request_duration_seconds_count{operation=\"kv_put\",status=\"200\"} 1",
                "baton_http_request_duration_seconds_bucket{operation=\"kv_put\",status=\"200\",le=\"0.005\"} 1",
                "baton_http_request_duration_seconds_bucket{operation=\"kv_put\",status=\"200\",le=\"0.0025\"} 0");
    }

    @Test
    void formatFollowsTheAcceptHeader() {
        NodeMetrics.Scrape text = metrics.scrape("text/plain");
        NodeMetrics.Scrape open = metrics.scrape("application/openmetrics-text; version=1.0.0");

        assertThat(text.contentType()).startsWith("text/plain; version=0.0.4");
        assertThat(open.contentType()).startsWith("application/openmetrics-text");
        assertThat(new String(open.body(), StandardCharsets.UTF_8)).endsWith("# EOF\n");
        assertThat(new String(text.body(), StandardCharsets.UTF_8)).contains("jvm_memory_used_bytes");
    }
}
