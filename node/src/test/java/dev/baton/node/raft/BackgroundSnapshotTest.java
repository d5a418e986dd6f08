package dev.baton.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.node.statemachine.Command;
import dev.baton.node.statemachine.CommandCodec;
import dev.baton.node.statemachine.KvStateMachine;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.jgroups.protocols.raft.LogEntries;
import org.jgroups.protocols.raft.LogEntry;
import dev.baton.node.Consensus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot written off the runner thread, on a real {@link ChecksummedLog} in a temp dir. */
class BackgroundSnapshotTest {

    @TempDir
    Path tmp;

    private ChecksummedLog log;
    private final KvStateMachine machine = new KvStateMachine();
    private final ReplicatedKv kv = new ReplicatedKv(machine);
    private BackgroundSnapshot snapshots;

    @AfterEach
    void close() {
        if (snapshots != null) {
            snapshots.close();
        }
        if (log != null) {
            log.close();
        }
    }

    private void open() throws Exception {
        if (log != null) {
            log.close();
        }
        log = new ChecksummedLog();
        log.init(tmp.resolve("n1.log").toString(), Map.of());
        snapshots = new BackgroundSnapshot(log, kv);
    }

    /** Appends, commits and applies puts of key-i = value-i for i in [from, to]. */
    private void writeAndApply(int from, int to) {
        for (int i = from; i <= to; i++) {
            byte[] cmd = CommandCodec.encode(new Command.Put(Command.Session.NONE, "key-" + i,
                    ("value-" + i).getBytes(StandardCharsets.UTF_8), Command.NO_REVISION_CHECK, 1_000 + i));
            log.append(i, new LogEntries().add(new LogEntry(1, cmd)));
            log.commitIndex(i);
            kv.apply(cmd, 0, cmd.length, false);
        }
    }

    private void awaitDone() throws Exception {
        snapshots.await();
        assertThat(snapshots.running()).isFalse();
    }

    @Test
    void theSnapshotHoldsTheStateOfItsIndexAndTheLogIsCutOnlyOnceItIsStored() throws Exception {
        open();
        writeAndApply(1, 100);
        byte[] internal = {1, 2, 3};
        snapshots.start(100, 1, internal);
        assertThatThrownBy(() -> snapshots.start(100, 1, internal)).isInstanceOf(IllegalStateException.class);
        writeAndApply(101, 150); // applied while the snapshot is written
        awaitDone();

        assertThat(log.firstAppended()).as("entries before the snapshot's index are dropped").isEqualTo(100);
        assertThat(log.lastAppended()).isEqualTo(150);
        assertThat(machine.capturing()).isFalse();
        assertThat(machine.size()).isEqualTo(150);

        ByteBuffer stored = log.getSnapshot();
        byte[] head = new byte[3];
        stored.get(head);
        assertThat(head).as("RAFT's internal state comes first, as RAFT.takeSnapshot lays it out").isEqualTo(internal);
        KvStateMachine restored = new KvStateMachine();
        byte[] rest = new byte[stored.remaining()];
        stored.get(rest);
        restored.readSnapshot(new DataInputStream(new ByteArrayInputStream(rest)));
        assertThat(restored.size()).isEqualTo(100);
        assertThat(restored.peek("key-100")).isNotNull();
        assertThat(restored.peek("key-101")).as("written after the snapshot's index").isNull();

        open(); // a restart reads the snapshot and the log after it
        assertThat(log.firstAppended()).isEqualTo(100);
        assertThat(log.lastAppended()).isEqualTo(150);
    }

    @Test
    void anOlderSnapshotNeverReplacesANewerOneInstalledMeanwhile() throws Exception {
        open();
        writeAndApply(1, 50);
        snapshots.start(50, 1, new byte[0]);
        // a leader's snapshot at 80 arrives before the background one is stored (RAFT's install path)
        log.setSnapshot(ByteBuffer.wrap(new byte[] {9}));
        log.reinitializeTo(80, new LogEntry(1, null));
        awaitDone();
        assertThat(log.storeSnapshot(50, 1, ByteBuffer.wrap(new byte[] {7}))).isFalse();
        ByteBuffer stored = log.getSnapshot();
        assertThat(stored.remaining()).isEqualTo(1);
        assertThat(stored.get()).as("the installed snapshot stays").isEqualTo((byte) 9);
        assertThat(log.firstAppended()).isEqualTo(80);
    }

    @Test
    void aBackupHoldsTheStateOfItsIndexAndLeavesTheLogAsItWas() throws Exception {
        open();
        writeAndApply(1, 40);
        CompletableFuture<Consensus.StateExport> export = new CompletableFuture<>();
        snapshots.startExport(40, 1, export);
        assertThat(snapshots.running()).as("the backup holds the one capture slot").isTrue();
        writeAndApply(41, 60); // applied while the backup is written
        awaitDone();

        Consensus.StateExport e = export.get(5, TimeUnit.SECONDS);
        assertThat(e.index()).isEqualTo(40);
        assertThat(e.term()).isEqualTo(1);
        KvStateMachine copy = new KvStateMachine();
        copy.readSnapshot(new DataInputStream(new ByteArrayInputStream(e.content())));
        assertThat(copy.size()).isEqualTo(40);
        assertThat(copy.peek("key-41")).as("written after the backup's index").isNull();
        assertThat(machine.capturing()).as("the capture is released").isFalse();
        assertThat(machine.size()).isEqualTo(60);
        assertThat(log.firstAppended()).as("a backup drops no entry").isEqualTo(1);
        assertThat(log.getSnapshot()).as("nor stores a log snapshot").isNull();
    }
}
