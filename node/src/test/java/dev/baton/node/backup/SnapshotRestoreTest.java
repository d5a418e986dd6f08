package dev.baton.node.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.node.config.ConfigException;
import dev.baton.node.config.MemberSpec;
import dev.baton.node.raft.ClusterId;
import dev.baton.node.raft.LogSeed;
import dev.baton.node.statemachine.Command;
import dev.baton.node.statemachine.KvStateMachine;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import dev.baton.node.raft.ChecksummedLog;
import org.jgroups.protocols.raft.PersistentState;
import org.jgroups.util.ByteArrayDataInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotRestoreTest {

    private static final List<MemberSpec> MEMBERS = List.of(MemberSpec.parse("a=127.0.0.1:7000:8000"),
            MemberSpec.parse("b=127.0.0.1:7001:8001"), MemberSpec.parse("c=127.0.0.1:7002:8002"));

    @TempDir
    Path tmp;

    /** A state with keys of several revisions and a leadership term, and its backup file. */
    private KvStateMachine state() {
        KvStateMachine sm = new KvStateMachine();
        sm.apply(new Command.Noop(3, "old-1"));
        sm.apply(new Command.Put(Command.Session.NONE, "k1", "v1".getBytes(StandardCharsets.UTF_8), Command.NO_REVISION_CHECK));
        sm.apply(new Command.Put(Command.Session.NONE, "k1", "v2".getBytes(StandardCharsets.UTF_8), Command.NO_REVISION_CHECK));
        sm.apply(new Command.Put(Command.Session.NONE, "k2", "x".getBytes(StandardCharsets.UTF_8), Command.NO_REVISION_CHECK));
        return sm;
    }

    private Path backup(KvStateMachine sm) throws Exception {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        sm.writeSnapshot(new DataOutputStream(content));
        Path file = tmp.resolve("backup.snap");
        Files.write(file, BackupFile.encode(17, 3, "default", 1_000, content.toByteArray()));
        return file;
    }

    @Test
    void restoredDirIsReadBackByTheLogAsTheSameStateAtTheSavedIndexAndTerm() throws Exception {
        KvStateMachine original = state();
        Path file = backup(original);
        Path dir = tmp.resolve("b-data");

        SnapshotRestore.Restored r = SnapshotRestore.restore(file, dir, "b", MEMBERS);

        assertThat(r.clusterId()).isEqualTo(ClusterId.derived(r.backup().checksum(), List.of("a", "b", "c")));
        assertThat(ClusterId.read(dir)).isEqualTo(r.clusterId());
        ChecksummedLog log = new ChecksummedLog();
        log.init(LogSeed.logDir(dir, "b").toString(), Map.of());
        try {
            assertThat(log.commitIndex()).isEqualTo(17);
            assertThat(log.firstAppended()).isEqualTo(17);
            assertThat(log.lastAppended()).isEqualTo(17);
            assertThat(log.get(17).term()).isEqualTo(3);
            assertThat(log.currentTerm()).isEqualTo(3);
            assertThat(log.votedFor()).isNull();
            ByteBuffer snapshot = log.getSnapshot();
            ByteArrayDataInputStream in = new ByteArrayDataInputStream(snapshot);
            PersistentState internal = new PersistentState();
            internal.readFrom(in);
            assertThat(internal.getMembers()).containsExactlyInAnyOrder("a", "b", "c");
            KvStateMachine restored = new KvStateMachine();
            restored.readSnapshot(in);
            // the same state, but for the member table: reset to the new members, every one a voter
            assertThat(restored.members().members()).extracting(m -> m.id() + ":" + m.status())
                    .containsExactly("a:VOTER", "b:VOTER", "c:VOTER");
            assertThat(restored.sameStateAs(original)).isFalse();
            SnapshotRestore.resetMemberTable(original, MEMBERS);
            assertThat(restored.sameStateAs(original)).isTrue();
            assertThat(restored.peek("k1")).isEqualTo("v2".getBytes(StandardCharsets.UTF_8));
        } finally {
            log.close();
        }
    }

    @Test
    void everyMemberRestoredFromOneFileGetsTheSameNewClusterId() throws Exception {
        Path file = backup(state());
        ClusterId a = SnapshotRestore.restore(file, tmp.resolve("a"), "a", MEMBERS).clusterId();
        ClusterId c = SnapshotRestore.restore(file, tmp.resolve("c"), "c", List.of(MEMBERS.get(2), MEMBERS.get(0), MEMBERS.get(1))).clusterId();
        assertThat(c).isEqualTo(a).isNotEqualTo(ClusterId.DEFAULT);
    }

    @Test
    void damagedFileIsRefusedNamingItAndNothingIsWritten() throws Exception {
        Path file = backup(state());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Path bad = tmp.resolve("bad.snap");
        Files.write(bad, bytes);
        Path dir = tmp.resolve("never");
        assertThatThrownBy(() -> SnapshotRestore.restore(bad, dir, "a", MEMBERS))
                .isInstanceOf(BackupFormatException.class).hasMessageContaining(bad.toString()).hasMessageContaining("checksum");
        assertThat(dir).doesNotExist();

        Path cut = tmp.resolve("cut.snap");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(file), 30));
        assertThatThrownBy(() -> SnapshotRestore.restore(cut, dir, "a", MEMBERS)).hasMessageContaining(cut.toString())
                .hasMessageContaining("truncated");
        assertThat(dir).doesNotExist();
    }

    @Test
    void nonEmptyDataDirIsRefusedAndLeftAsItWas() throws Exception {
        Path file = backup(state());
        Path dir = tmp.resolve("used");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("keep"), "x");
        assertThatThrownBy(() -> SnapshotRestore.restore(file, dir, "a", MEMBERS)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--data-dir");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("keep");
        }
    }

    @Test
    void idOutsideTheMembersIsRefused() throws Exception {
        Path file = backup(state());
        assertThatThrownBy(() -> SnapshotRestore.restore(file, tmp.resolve("d"), "d", MEMBERS))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--id");
        assertThat(tmp.resolve("d")).doesNotExist();
    }
}
