package dev.baton.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.client.LeaderEvent;
import dev.baton.client.NodeStatusResult;
import dev.baton.client.ReadResult;
import dev.baton.client.NodeUnreachableException;
import dev.baton.client.wire.HealthInfo;
import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.LeaderInfo;
import dev.baton.client.wire.MaintenanceInfo;
import dev.baton.client.wire.MemberInfo;
import dev.baton.client.wire.NodeStatus;
import dev.baton.client.wire.WriteResult;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutputTest {

    private static final URI N1 = URI.create("http://127.0.0.11:8080");
    private static final URI N2 = URI.create("http://127.0.0.12:8080");
    private static final URI N3 = URI.create("http://127.0.0.13:8080");
    private static final LeaderInfo LEADER = new LeaderInfo("n1", N1.toString(), 7);

    static NodeStatus status(String id, URI url, String role, LeaderInfo leader, long commit, long applied) {
        return new NodeStatus(id, url.toString(), role, 7, leader, commit, applied, commit,
                new HealthInfo(HealthInfo.OK, null, 0), applied,
                List.of(new MemberInfo(id, url.toString(), "127.0.0.1:7800", true, null)), "auto", "active-passive",
                new MaintenanceInfo(false, 0), null, null);
    }

    @Test
    void statusTableAlignsColumnsAndShowsUnreachableNodes() {
        List<NodeStatusResult> results = List.of(
                NodeStatusResult.ok(N1, status("n1", N1, "ACTIVE", LEADER, 1042, 1042)),
                NodeStatusResult.ok(N2, status("n2", N2, "STANDBY", LEADER, 1042, 1040)),
                NodeStatusResult.failed(N3, new NodeUnreachableException(N3, "connection refused", null)));

        assertThat(Output.statusTable(results)).isEqualTo(""
                + "ID  ROLE         TERM  LEADER  COMMIT  APPLIED  LAG  LEASE  URL\n"
                + "n1  ACTIVE       7     n1      1042    1042     -    -      http://127.0.0.11:8080\n"
                + "n2  STANDBY      7     n1      1042    1040     -    -      http://127.0.0.12:8080\n"
                + "-   UNREACHABLE  -     -       -       -        -    -      http://127.0.0.13:8080\n");
    }

    @Test
    void statusTableShowsLagAsTheActiveReportsItAndTheLeadersLease() {
        List<MemberInfo> seenByActive = List.of(
                new MemberInfo("n1", N1.toString(), "127.0.0.11:7800", true, null, null, null),
                new MemberInfo("n2", N2.toString(), "127.0.0.12:7800", true, null, 2L, 150L),
                new MemberInfo("n3", N3.toString(), "127.0.0.13:7800", false, null, 40L, 9000L));
        NodeStatus active = new NodeStatus("n1", N1.toString(), "ACTIVE", 7, LEADER, 1042, 1042, 1042,
                new HealthInfo(HealthInfo.OK, null, 0), 1042, seenByActive, "auto", "active-passive",
                new MaintenanceInfo(false, 0), null, null, 1250L, null);
        // a standby's own members list has no lag: the column comes from the ACTIVE's
        List<NodeStatusResult> results = List.of(
                NodeStatusResult.ok(N1, active),
                NodeStatusResult.ok(N2, status("n2", N2, "STANDBY", LEADER, 1042, 1040)),
                NodeStatusResult.ok(N3, status("n3", N3, "STANDBY", LEADER, 1002, 1002)));

        assertThat(Output.statusTable(results).lines().skip(1)).containsExactly(
                "n1  ACTIVE   7     n1      1042    1042     -    1.25s  http://127.0.0.11:8080",
                "n2  STANDBY  7     n1      1042    1040     2    -      http://127.0.0.12:8080",
                "n3  STANDBY  7     n1      1002    1002     40   -      http://127.0.0.13:8080");
    }

    @Test
    void statusTableShowsDashForUnknownLeader() {
        String table = Output.statusTable(List.of(NodeStatusResult.ok(N1, status("n1", N1, "CANDIDATE", null, 3, 3))));

        assertThat(table.lines().skip(1)).containsExactly("n1  CANDIDATE  7     -       3       3        -    -      http://127.0.0.11:8080");
    }

    @Test
    void statusJsonHasStatusOrErrorPerNode() {
        String json = Output.statusJson(List.of(
                NodeStatusResult.ok(N1, status("n1", N1, "ACTIVE", LEADER, 1, 1)),
                NodeStatusResult.failed(N3, new NodeUnreachableException(N3, "connection refused", null))));

        assertThat(json)
                .startsWith("[{\"node\":\"http://127.0.0.11:8080\",\"status\":{\"id\":\"n1\"")
                .contains("\"role\":\"ACTIVE\"")
                .endsWith("{\"node\":\"http://127.0.0.13:8080\",\"error\":\"http://127.0.0.13:8080 is unreachable: connection refused\"}]");
    }

    @Test
    void watchEventsAsTextAndJson() {
        assertThat(LeaderEvent.leader(LEADER).toString()).isEqualTo("term 7 leader n1 http://127.0.0.11:8080");
        assertThat(LeaderEvent.noLeader(7).toString()).isEqualTo("term 7 no leader");
        assertThat(Output.eventJson(LeaderEvent.leader(LEADER)))
                .isEqualTo("{\"event\":\"leader\",\"term\":7,\"id\":\"n1\",\"url\":\"http://127.0.0.11:8080\"}");
        assertThat(Output.eventJson(LeaderEvent.noLeader(8))).isEqualTo("{\"event\":\"no_leader\",\"term\":8}");
    }

    @Test
    void staleReadJsonCarriesNodeAndStaleness() {
        assertThat(Output.staleJson("k", new ReadResult<>(Optional.of(new KvEntry("k", "v", 3)), N2, 40, 120)))
                .isEqualTo("{\"key\":\"k\",\"value\":\"v\",\"revision\":3,\"node\":\"http://127.0.0.12:8080\","
                        + "\"appliedIndex\":40,\"stalenessMs\":120}");
        assertThat(Output.staleJson("k", new ReadResult<>(Optional.empty(), N2, 40, -1)))
                .isEqualTo("{\"key\":\"k\",\"node\":\"http://127.0.0.12:8080\",\"appliedIndex\":40,\"stalenessMs\":-1}");
    }

    @Test
    void leaderAndWriteLines() {
        assertThat(Output.leaderLine(LEADER)).isEqualTo("n1 http://127.0.0.11:8080 term 7");
        assertThat(Output.writeLine(new WriteResult("k", 12, 11, true, 7))).isEqualTo("revision 12 term 7");
    }

    @Test
    void entriesTableEscapesControlCharactersSoEachEntryIsOneLine() {
        String table = Output.entriesTable(List.of(
                new KvEntry("a/1", "plain", 3),
                new KvEntry("a/22", "two\nlines\tand\\slash\u0001", 14)));

        assertThat(table).isEqualTo(""
                + "KEY   REVISION  VALUE\n"
                + "a/1   3         plain\n"
                + "a/22  14        two\\nlines\\tand\\\\slash\\u0001\n");
    }

    @Test
    void tableRejectsRaggedRows() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> Output.table(List.of("A", "B"), List.of(List.of("only one"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
