package dev.baton.node.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BackupFileTest {

    private static final byte[] CONTENT = "the state machine's bytes".getBytes(StandardCharsets.UTF_8);

    private static byte[] sample() {
        return BackupFile.encode(42, 7, "default", 1_700_000_000_000L, CONTENT);
    }

    @Test
    void roundTripKeepsEveryField() {
        BackupFile.Backup b = BackupFile.decode(sample());
        assertThat(b.index()).isEqualTo(42);
        assertThat(b.term()).isEqualTo(7);
        assertThat(b.clusterId()).isEqualTo("default");
        assertThat(b.takenAtMs()).isEqualTo(1_700_000_000_000L);
        assertThat(b.content()).isEqualTo(CONTENT);
        assertThat(b.checksum()).isEqualTo(ByteBuffer.wrap(sample()).getInt(sample().length - 4));
    }

    @Test
    void emptyContentRoundTrips() {
        assertThat(BackupFile.decode(BackupFile.encode(1, 1, "r0a", 0, new byte[0])).content()).isEmpty();
    }

    @Test
    void everyFlippedByteIsRefused() {
        byte[] good = sample();
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            int at = i;
            assertThatThrownBy(() -> BackupFile.decode(bad)).as("byte " + at).isInstanceOf(BackupFormatException.class);
        }
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] good = sample();
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThatThrownBy(() -> BackupFile.decode(cut)).as(n + " bytes").isInstanceOf(BackupFormatException.class);
        }
        assertThatThrownBy(() -> BackupFile.decode(Arrays.copyOf(good, 20))).hasMessageContaining("truncated");
        assertThatThrownBy(() -> BackupFile.decode(Arrays.copyOf(good, good.length - 1))).hasMessageContaining("checksum");
    }

    @Test
    void wrongMagicSaysItIsNoBackup() {
        byte[] bad = sample();
        bad[0] = 'X';
        assertThatThrownBy(() -> BackupFile.decode(bad)).hasMessageContaining("not a Baton backup");
    }

    @Test
    void otherVersionIsNamed() {
        byte[] bad = sample();
        ByteBuffer.wrap(bad).putInt(4, 9);
        assertThatThrownBy(() -> BackupFile.decode(bad)).hasMessageContaining("format version 9")
                .hasMessageContaining("reads version 1");
    }
}
