package dev.baton.node.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.client.wire.MemberEntry;
import dev.baton.client.wire.MemberList;
import dev.baton.node.config.ConfigException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JoinSeedsTest {

    private static final MemberList TABLE = new MemberList("n1", "n1", List.of(
            new MemberEntry("n1", "127.0.0.11", 7800, 8080, "http://127.0.0.11:8080", "voter", true, null),
            new MemberEntry("n4", "127.0.0.14", 7800, 8080, "http://127.0.0.14:8080", "joining", false, 12L)), "add n4", "c-1234");

    @Test
    void aJoiningNodeTakesItsAddressesFromTheTableAndStartsAsLearner() {
        JoinSeeds.Seeded s = JoinSeeds.seeded("n4", "http://127.0.0.11:8080", TABLE);
        assertThat(s.members()).extracting(m -> m.id() + "=" + m.raftAddress()).containsExactly("n1=127.0.0.11:7800", "n4=127.0.0.14:7800");
        assertThat(s.joining()).containsExactly("n4");
        assertThat(s.clusterId()).isEqualTo("c-1234");
        assertThat(JoinSeeds.seeded("n1", "seed", TABLE).joining()).isEmpty();
    }

    @Test
    void aNodeNotAddedFirstIsToldHow() {
        assertThatThrownBy(() -> JoinSeeds.seeded("n9", "http://127.0.0.11:8080", TABLE)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'n9' is not a member").hasMessageContaining("baton members add n9=");
    }

    @Test
    void noSeedAnsweringNamesEachSeedAndWhy() {
        // port 9 on loopback: nothing listens there
        assertThatThrownBy(() -> JoinSeeds.fetch("n4", List.of("http://127.0.0.1:9"), null, null, Duration.ofSeconds(1)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--join").hasMessageContaining("http://127.0.0.1:9");
        assertThatThrownBy(() -> JoinSeeds.fetch("n4", List.of(), null, null, Duration.ofSeconds(1)))
                .hasMessageContaining("at least one seed");
    }
}
