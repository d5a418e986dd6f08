package dev.baton.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeConfigTest {

    private static final List<MemberSpec> THREE = List.of(
            MemberSpec.parse("n1=127.0.0.11:7800:8080"),
            MemberSpec.parse("n2=127.0.0.12:7800:8080"),
            MemberSpec.parse("n3=127.0.0.13:7800:8080"));

    private static NodeConfig config(String id, List<MemberSpec> members) {
        return new NodeConfig(id, members, Path.of("/tmp/x"), Detection.DEFAULTS, LeaseTiming.DEFAULTS, 5000, 1024, 1 << 20, true, null, null);
    }

    @Test
    void parsesMemberSpec() {
        MemberSpec m = MemberSpec.parse(" n1=127.0.0.11:7800:8080 ");
        assertThat(m).isEqualTo(new MemberSpec("n1", "127.0.0.11", 7800, 8080));
        assertThat(m.httpUrl()).isEqualTo("http://127.0.0.11:8080");
        assertThat(m.raftAddress()).isEqualTo("127.0.0.11:7800");
    }

    @Test
    void malformedMemberSpecNamesTheSetting() {
        assertThatThrownBy(() -> MemberSpec.parse("n1:127.0.0.11"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("--members: ").hasMessageContaining("ID=HOST:RAFT_PORT:HTTP_PORT");
        assertThatThrownBy(() -> MemberSpec.parse("n1=h:78x:8080")).hasMessageContaining("'78x'").hasMessageContaining("not a port");
        assertThatThrownBy(() -> MemberSpec.parse("n1=h:0:8080")).hasMessageContaining("outside 1-65535");
        assertThatThrownBy(() -> MemberSpec.parse("n 1=h:1:2")).hasMessageContaining("invalid member id");
        assertThatThrownBy(() -> MemberSpec.parse("n1=h:80:80")).hasMessageContaining("both raft and http");
    }

    @Test
    void idMustBeAMember() {
        assertThatThrownBy(() -> config("n9", THREE))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--id: 'n9' is not one of the members [n1, n2, n3]")
                .extracting(e -> ((ConfigException) e).setting()).isEqualTo("--id");
    }

    @Test
    void aJoiningNodeIsNoInitialVoterAndSomeoneMustVote() {
        NodeConfig joiner = NodeConfig.builder().nodeId("n3").members(THREE).dataDir(Path.of("/tmp/x")).joining(java.util.Set.of("n3")).build();
        assertThat(joiner.initialVoters()).containsExactly("n1", "n2");
        assertThat(config("n1", THREE).initialVoters()).containsExactly("n1", "n2", "n3");
        assertThatThrownBy(() -> NodeConfig.builder().nodeId("n1").members(List.of(THREE.get(0))).dataDir(Path.of("/tmp/x"))
                .joining(java.util.Set.of("n1")).build()).hasMessageStartingWith("--join: ");
        assertThatThrownBy(() -> NodeConfig.builder().nodeId("n1").members(THREE).dataDir(Path.of("/tmp/x"))
                .joining(java.util.Set.of("n7")).build()).hasMessageStartingWith("--join: ");
    }

    @Test
    void duplicateMemberIdOrAddressIsRefused() {
        assertThatThrownBy(() -> config("n1", List.of(THREE.get(0), MemberSpec.parse("n1=127.0.0.99:7800:8080"))))
                .hasMessage("--members: duplicate member id 'n1'");
        assertThatThrownBy(() -> config("n1", List.of(THREE.get(0), MemberSpec.parse("n2=127.0.0.11:7800:9090"))))
                .hasMessageContaining("raft address 127.0.0.11:7800 is used by two members");
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> new NodeConfig("n1", THREE, Path.of("/tmp"), Detection.DEFAULTS, LeaseTiming.DEFAULTS, 10, 1024, 1 << 20, true, null, null))
                .hasMessageStartingWith("--request-timeout-ms");
        assertThatThrownBy(() -> new NodeConfig("n1", THREE, Path.of("/tmp"), Detection.DEFAULTS, LeaseTiming.DEFAULTS, 5000, 0, 1 << 20, true, null, null))
                .hasMessageStartingWith("--max-value-bytes");
        assertThatThrownBy(() -> new NodeConfig("n1", THREE, null, Detection.DEFAULTS, LeaseTiming.DEFAULTS, 5000, 10, 1 << 20, true, null, null))
                .hasMessageStartingWith("--data-dir");
        assertThatThrownBy(() -> new SessionLimits(99, 10)).hasMessageStartingWith("--session-timeout-ms").hasMessageContaining("100-");
        assertThatThrownBy(() -> new SessionLimits(60_000, 0)).hasMessageStartingWith("--max-sessions");
        assertThat(config("n1", THREE).sessions()).isEqualTo(SessionLimits.DEFAULTS);
        assertThat(SessionLimits.DEFAULTS.timeoutMs()).isEqualTo(3_600_000);
    }

    @Test
    void detectionTimingsAreValidated() {
        assertThatThrownBy(() -> new Detection(500, 300, 500, 1000, 3000)).hasMessageStartingWith("--fd-timeout-ms");
        assertThatThrownBy(() -> new LeaseTiming(200, 100, 400)).hasMessageStartingWith("--lease-ms");
        assertThatThrownBy(() -> new LeaseTiming(400, 100, 420)).hasMessageStartingWith("--lease-grant-ms")
                .hasMessageContaining("must outlast the lease");
        assertThatThrownBy(() -> new NodeConfig("n1", THREE, Path.of("/tmp"), new Detection(600, 100, 150, 1000, 3000),
                        new LeaseTiming(1000, 100, 1200), 5000, 10, 1 << 20, true, null, null))
                .hasMessageStartingWith("--lease-grant-ms").hasMessageContaining("failover would wait");
        assertThatThrownBy(() -> new Detection(1500, 300, 500, 3000, 3000)).hasMessageStartingWith("--merge-max-ms");
        assertThatThrownBy(() -> new Detection(1500, 300, -1, 1000, 3000)).hasMessageStartingWith("--verify-suspect-ms");
    }

    @Test
    void selfAndLookup() {
        NodeConfig c = config("n2", THREE);
        assertThat(c.self().host()).isEqualTo("127.0.0.12");
        assertThat(c.member("n3").httpPort()).isEqualTo(8080);
        assertThat(c.member("x")).isNull();
        assertThat(c.memberIds()).containsExactly("n1", "n2", "n3");
    }

    @Test
    void everyTimingIsValidatedNamingTheSetting() {
        Timings d = Timings.DEFAULTS;
        assertThatThrownBy(() -> new Timings(0, d.electionStallMs(), d.leaderSilenceMs(), d.switchoverStepMs(), d.noFailoverRetryMs(),
                d.requestHoldMs(), d.holdRecheckMs(), d.handoverDrainMs(), d.demotionHookWaitMs(), d.watchKeepaliveMs(),
                d.probeConnectTimeoutMs(), d.resendIntervalMs(), d.catchUpRepeatMs(), d.joinRetryMs())).hasMessageStartingWith("rolePollMs");
        assertThatThrownBy(() -> new Timings(d.rolePollMs(), d.electionStallMs(), d.leaderSilenceMs(), d.switchoverStepMs(), d.noFailoverRetryMs(),
                d.requestHoldMs(), d.holdRecheckMs(), d.handoverDrainMs(), d.demotionHookWaitMs(), d.watchKeepaliveMs(), 0,
                d.resendIntervalMs(), d.catchUpRepeatMs(), d.joinRetryMs())).hasMessageStartingWith("probeConnectTimeoutMs");
        // a leader reported silent while it could still hold a lease would be suspected needlessly
        Timings quick = new Timings(d.rolePollMs(), d.electionStallMs(), 500, d.switchoverStepMs(), d.noFailoverRetryMs(),
                d.requestHoldMs(), d.holdRecheckMs(), d.handoverDrainMs(), d.demotionHookWaitMs(), d.watchKeepaliveMs(),
                d.probeConnectTimeoutMs(), d.resendIntervalMs(), d.catchUpRepeatMs(), d.joinRetryMs());
        assertThatThrownBy(() -> new NodeConfig("n1", THREE, Path.of("/tmp"), Detection.DEFAULTS, LeaseTiming.DEFAULTS, 5000, 10,
                1 << 20, true, null, quick)).hasMessageStartingWith("leaderSilenceMs");
        assertThatThrownBy(() -> new LeaseTiming(400, 100, 550, 0, 3000)).hasMessageStartingWith("--probe-interval-ms");
    }
}
