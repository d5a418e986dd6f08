package dev.baton.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerTlsTest {

    @TempDir
    Path dir;

    @Test
    void noneGivenMeansPlainTcp() {
        assertThat(PeerTls.of(null, null, null)).isNull();
    }

    @Test
    void allThreeAreNeededAndTheMissingOneIsNamed() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        assertThatThrownBy(() -> PeerTls.of(null, f, f)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--peer-tls-ca:");
        assertThatThrownBy(() -> PeerTls.of(f, null, f)).hasMessageStartingWith("--peer-tls-keystore:");
        assertThatThrownBy(() -> PeerTls.of(f, f, null)).hasMessageStartingWith("--peer-tls-password-file:")
                .hasMessageContaining("--peer-tls-ca");
    }

    @Test
    void aMissingFileIsNamedWithItsOption() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        Path missing = dir.resolve("nope.p12");
        assertThatThrownBy(() -> PeerTls.of(f, missing, f)).hasMessageStartingWith("--peer-tls-keystore:")
                .hasMessageContaining("nope.p12");
        assertThatThrownBy(() -> PeerTls.of(f, f, dir)).hasMessageStartingWith("--peer-tls-password-file:");
    }

    @Test
    void passwordIsTheFirstLine() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        Path pw = Files.writeString(dir.resolve("pw"), "s3cret\r\nignored\n");
        assertThat(new String(PeerTls.of(f, f, pw).password())).isEqualTo("s3cret");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> PeerTls.of(f, f, empty).password()).hasMessageStartingWith("--peer-tls-password-file:")
                .hasMessageContaining("empty");
    }
}
