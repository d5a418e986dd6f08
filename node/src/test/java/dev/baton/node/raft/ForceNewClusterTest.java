package dev.baton.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.node.config.ConfigException;
import dev.baton.node.config.NodeConfig;
import dev.baton.node.statemachine.Command;
import dev.baton.node.statemachine.CommandCodec;
import dev.baton.node.statemachine.KvStateMachine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.jgroups.protocols.raft.LogEntries;
import org.jgroups.protocols.raft.LogEntry;
import org.jgroups.protocols.raft.PersistentState;
import org.jgroups.util.ByteArrayDataInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForceNewClusterTest {

    @TempDir
    Path tmp;

    private static byte[] put(String key, String value) {
        return CommandCodec.encode(new Command.Put(Command.Session.NONE, key, value.getBytes(StandardCharsets.UTF_8),
                Command.NO_REVISION_CHECK));
    }

    private NodeConfig config(String members) {
        return NodeConfig.builder().nodeId("n1").members(members).dataDir(tmp).build();
    }

    /** A survivor's log: entries 1-4 of term 2, of which only 1-2 are known committed here. */
    private void survivorLog() throws Exception {
        ChecksummedLog log = new ChecksummedLog();
        log.init(LogSeed.logDir(tmp, "n1").toString(), Map.of());
        try {
            log.append(1, new LogEntries().add(new LogEntry(2, CommandCodec.encode(new Command.Noop(2, "n2"))))
                    .add(new LogEntry(2, put("a", "1"))).add(new LogEntry(2, put("a", "2")))
                    .add(new LogEntry(2, put("b", "acknowledged, not known committed here"))));
            log.commitIndex(2);
            log.currentTerm(2);
        } finally {
            log.close();
        }
    }

    @Test
    void everyLocalEntryCountsAsCommittedAndTheMembersAreThisNodeAlone() throws Exception {
        survivorLog();

        ForceNewCluster.Outcome o = ForceNewCluster.rewrite(config("n1=127.0.0.1:7000:8000"));

        assertThat(o.index()).isEqualTo(4);
        assertThat(o.term()).isEqualTo(2);
        assertThat(o.previous()).isEqualTo(ClusterId.DEFAULT);
        assertThat(ClusterId.read(tmp)).isEqualTo(o.clusterId()).isNotEqualTo(ClusterId.DEFAULT);
        ChecksummedLog log = new ChecksummedLog();
        log.init(LogSeed.logDir(tmp, "n1").toString(), Map.of());
        try {
            assertThat(log.commitIndex()).isEqualTo(4);
            assertThat(log.lastAppended()).isEqualTo(4);
            assertThat(log.currentTerm()).isEqualTo(2);
            ByteArrayDataInputStream in = new ByteArrayDataInputStream(log.getSnapshot());
            PersistentState internal = new PersistentState();
            internal.readFrom(in);
            assertThat(internal.getMembers()).containsExactly("n1");
            KvStateMachine sm = new KvStateMachine();
            sm.readSnapshot(in);
            assertThat(new String(sm.peek("a"), StandardCharsets.UTF_8)).isEqualTo("2");
            assertThat(new String(sm.peek("b"), StandardCharsets.UTF_8)).isEqualTo("acknowledged, not known committed here");
            assertThat(sm.revision()).isEqualTo(3);
        } finally {
            log.close();
        }
    }

    @Test
    void emptyDataDirIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> ForceNewCluster.rewrite(config("n1=127.0.0.1:7000:8000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ForceNewCluster.OPTION);
    }

    @Test
    void otherMembersAreRefusedNamingMembers() throws Exception {
        survivorLog();
        assertThatThrownBy(() -> ForceNewCluster.rewrite(config("n1=127.0.0.1:7000:8000,n2=127.0.0.1:7001:8001")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--members");
        assertThat(ClusterId.read(tmp)).isEqualTo(ClusterId.DEFAULT); // nothing rewritten
    }
}
