package dev.baton.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.node.config.Detection;
import dev.baton.node.config.LeaseTiming;
import dev.baton.node.config.MemberSpec;
import dev.baton.node.config.NodeConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StackConfigTest {

    @Test
    void rendersBindAddressesMembersAndTimings() {
        NodeConfig c = new NodeConfig("n2",
                List.of(MemberSpec.parse("n1=127.0.0.21:7800:8080"), MemberSpec.parse("n2=127.0.0.22:7801:8081")),
                Path.of("/data/n2"), new Detection(900, 200, 300, 500, 1500), LeaseTiming.DEFAULTS, 5000, 1024, 1 << 20, true, null, null);
        String xml = StackConfig.xml(c);
        assertThat(xml).contains("<TCP bind_addr=\"127.0.0.22\" bind_port=\"7801\"");
        assertThat(xml).contains("initial_hosts=\"127.0.0.21[7800],127.0.0.22[7801]\"");
        assertThat(xml).contains("<FD_SOCK2 bind_addr=\"127.0.0.22\"");
        assertThat(xml).contains("<FD_ALL3 timeout=\"900\" interval=\"200\"/>");
        assertThat(xml).contains("<VERIFY_SUSPECT2 timeout=\"300\"/>");
        assertThat(xml).contains("<MERGE3 min_interval=\"500\" max_interval=\"1500\"/>");
        assertThat(xml).contains("members=\"n1,n2\" raft_id=\"n2\"");
        assertThat(xml).contains("log_use_fsync=\"true\"");
        assertThat(xml).contains("<dev.baton.node.raft.BatonRaft ");
        assertThat(xml).contains("client_bind_addr=\"127.0.0.22\"");
        assertThat(xml).contains("log_class=\"dev.baton.node.raft.ChecksummedLog\" log_args=\"repair=false\"");
        // the log cache would serve entries the log failed to store
        assertThat(xml).contains("max_log_cache_size=\"0\"");
    }

    @Test
    void peerTlsSwapsInTheBindingTransport(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = java.nio.file.Files.writeString(dir.resolve("f"), "x");
        NodeConfig plain = NodeConfig.builder().nodeId("n1").members("n1=127.0.0.21:7800:8080").dataDir(Path.of("/d")).build();
        NodeConfig tls = NodeConfig.builder().nodeId("n1").members("n1=127.0.0.21:7800:8080").dataDir(Path.of("/d"))
                .peerTls(dev.baton.node.config.PeerTls.of(f, f, f)).build();
        assertThat(StackConfig.xml(plain)).contains("<TCP bind_addr=");
        assertThat(StackConfig.xml(tls)).contains("<dev.baton.node.raft.BatonTcp bind_addr=").doesNotContain("<TCP ");
    }

    @Test
    void repairLogReachesTheLog() {
        NodeConfig c = NodeConfig.builder().nodeId("n1").members("n1=127.0.0.21:7800:8080").dataDir(Path.of("/d"))
                .repairLog(true).build();
        assertThat(StackConfig.xml(c)).contains("log_args=\"repair=true\"");
    }
}
