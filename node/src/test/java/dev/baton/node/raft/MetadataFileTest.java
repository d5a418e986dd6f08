package dev.baton.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.node.CorruptStorageException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jgroups.Address;
import org.jgroups.raft.filelog.MetadataStorage;
import org.jgroups.util.ExtendedUUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataFileTest {

    @TempDir
    Path dir;

    private static final Address N2 = ExtendedUUID.randomUUID("n2");

    private MetadataFile open() throws IOException {
        MetadataFile f = new MetadataFile(dir, true);
        f.open();
        return f;
    }

    @Test
    void termVoteAndCommitSurviveAReopen() throws IOException {
        try (MetadataFile f = open()) {
            assertThat(f.state()).isEqualTo(MetadataFile.State.EMPTY);
            f.write(new MetadataFile.State(7, N2, 0), true);
            f.write(new MetadataFile.State(7, N2, 41), false);
            f.write(new MetadataFile.State(7, N2, 42), false);
        }
        try (MetadataFile f = open()) {
            assertThat(f.state()).isEqualTo(new MetadataFile.State(7, N2, 42));
        }
    }

    @Test
    void aTornSlotFallsBackToTheLastForcedState() throws IOException {
        try (MetadataFile f = open()) {
            f.write(new MetadataFile.State(7, N2, 40), true);
            f.write(new MetadataFile.State(7, N2, 41), false); // the other slot
        }
        // a crash tore the unforced write: garbage in the slot it went to
        int newest = newestSlot();
        flip(newest * MetadataFile.SLOT + 20);
        try (MetadataFile f = open()) {
            assertThat(f.state()).isEqualTo(new MetadataFile.State(7, N2, 40));
        }
    }

    @Test
    void anUnforcedWriteNeverOverwritesTheLastForcedState() throws IOException {
        try (MetadataFile f = open()) {
            f.write(new MetadataFile.State(8, N2, 1), true);
            for (int i = 2; i < 10; i++) {
                f.write(new MetadataFile.State(8, N2, i), false);
            }
        }
        // whichever slot the unforced writes went to is torn: the forced term 8 and vote remain
        flip(newestSlot() * MetadataFile.SLOT + 20);
        try (MetadataFile f = open()) {
            assertThat(f.state().term()).isEqualTo(8);
            assertThat(f.state().vote()).isEqualTo(N2);
        }
    }

    @Test
    void bothSlotsDamagedIsRefusedNamingTheFile() throws IOException {
        try (MetadataFile f = open()) {
            f.write(new MetadataFile.State(7, N2, 40), true);
        }
        flip(20);
        flip(MetadataFile.SLOT + 20);
        assertThatThrownBy(this::open).isInstanceOf(CorruptStorageException.class)
                .hasMessageContaining(dir.resolve(MetadataFile.NAME).toString())
                .hasMessageContaining("fails its checksum");
    }

    @Test
    void jgroupsRaftsMetadataFileIsMigratedOnce() throws Exception {
        MetadataStorage old = new MetadataStorage(dir.toFile(), true);
        old.open();
        old.setCurrentTerm(5);
        old.setVotedFor(N2);
        old.setCommitIndex(17);
        old.close();

        try (MetadataFile f = open()) {
            assertThat(f.state()).isEqualTo(new MetadataFile.State(5, N2, 17));
        }
        assertThat(dir.resolve(MetadataFile.LEGACY)).doesNotExist();
        try (MetadataFile f = open()) {
            assertThat(f.state()).isEqualTo(new MetadataFile.State(5, N2, 17));
        }
    }

    @Test
    void aWriteThatCannotReachTheDiskFailsWithAnIoException() throws IOException {
        MetadataFile f = open();
        f.close(); // what an unwritable file looks like to the writer: an IOException, never a SIGBUS
        assertThatThrownBy(() -> f.write(new MetadataFile.State(9, null, 0), true)).isInstanceOf(IOException.class);
        assertThat(f.state()).isEqualTo(MetadataFile.State.EMPTY);
    }

    private int newestSlot() throws IOException {
        byte[] all = Files.readAllBytes(dir.resolve(MetadataFile.NAME));
        long a = java.nio.ByteBuffer.wrap(all, 8, 8).getLong();
        long b = java.nio.ByteBuffer.wrap(all, MetadataFile.SLOT + 8, 8).getLong();
        return a > b ? 0 : 1;
    }

    private void flip(long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(MetadataFile.NAME).toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0xff);
        }
    }
}
