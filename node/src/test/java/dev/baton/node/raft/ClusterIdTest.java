package dev.baton.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.node.CorruptStorageException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterIdTest {

    @TempDir
    Path tmp;

    @Test
    void absentFileIsTheDefaultWithTheHistoricalChannelName() throws Exception {
        assertThat(ClusterId.read(tmp)).isEqualTo(ClusterId.DEFAULT);
        assertThat(ClusterId.DEFAULT.channelName()).isEqualTo("baton");
    }

    @Test
    void writtenIdIsReadBackAndNamesItsOwnChannel() throws Exception {
        ClusterId id = ClusterId.random();
        id.write(tmp.resolve("new-dir"));
        assertThat(ClusterId.read(tmp.resolve("new-dir"))).isEqualTo(id);
        assertThat(id.channelName()).isEqualTo("baton-" + id.value()).isNotEqualTo("baton");
        assertThat(ClusterId.random()).isNotEqualTo(id);
    }

    @Test
    void damagedFileIsRefusedNamingIt() throws Exception {
        new ClusterId("abc").write(tmp);
        Path file = tmp.resolve(ClusterId.FILE);
        byte[] good = Files.readAllBytes(file);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 1;
            Files.write(file, bad);
            assertThatThrownBy(() -> ClusterId.read(tmp)).as("byte " + i).isInstanceOf(CorruptStorageException.class)
                    .hasMessageContaining(file.toString());
        }
        Files.write(file, Arrays.copyOf(good, good.length - 1));
        assertThatThrownBy(() -> ClusterId.read(tmp)).isInstanceOf(CorruptStorageException.class);
        byte[] otherVersion = good.clone();
        ByteBuffer.wrap(otherVersion).putInt(4, 2);
        assertThatThrownBy(() -> ClusterId.decode(otherVersion)).hasMessageContaining("version 2");
    }

    @Test
    void derivedIdDependsOnChecksumAndMemberSetOnly() {
        ClusterId a = ClusterId.derived(0x1234, List.of("n1", "n2", "n3"));
        assertThat(ClusterId.derived(0x1234, List.of("n3", "n1", "n2"))).isEqualTo(a);
        assertThat(ClusterId.derived(0x1235, List.of("n1", "n2", "n3"))).isNotEqualTo(a);
        assertThat(ClusterId.derived(0x1234, List.of("n1", "n2"))).isNotEqualTo(a);
        assertThat(a).isNotEqualTo(ClusterId.DEFAULT);
    }

    @Test
    void invalidIdsAreRefused() {
        assertThatThrownBy(() -> new ClusterId("Has Space")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClusterId("")).isInstanceOf(IllegalArgumentException.class);
    }
}
