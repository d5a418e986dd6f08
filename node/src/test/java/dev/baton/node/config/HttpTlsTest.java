package dev.baton.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpTlsTest {

    @TempDir
    Path dir;

    @Test
    void noneGivenMeansPlainHttp() {
        assertThat(HttpTls.of(null, null, null, null, null, null)).isNull();
    }

    @Test
    void pemNeedsCertAndKey() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        assertThatThrownBy(() -> HttpTls.of(f, null, null, null, null, null)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--http-tls-key:").hasMessageContaining("--http-tls-cert");
        assertThatThrownBy(() -> HttpTls.of(null, f, null, null, null, null)).hasMessageStartingWith("--http-tls-cert:");
    }

    @Test
    void keystoreNeedsItsPasswordFile() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        assertThatThrownBy(() -> HttpTls.of(null, null, f, null, null, null)).hasMessageStartingWith("--http-tls-password-file:");
        assertThatThrownBy(() -> HttpTls.of(null, null, null, f, null, null)).hasMessageStartingWith("--http-tls-keystore:");
    }

    @Test
    void pemAndKeystoreDoNotMix() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        assertThatThrownBy(() -> HttpTls.of(f, f, f, f, null, null)).hasMessageStartingWith("--http-tls-cert:")
                .hasMessageContaining("cannot be combined with --http-tls-keystore");
    }

    @Test
    void caOptionsAloneNeedHttpsOn() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        assertThatThrownBy(() -> HttpTls.of(null, null, null, null, f, null)).hasMessageStartingWith("--http-tls-client-ca:");
        assertThatThrownBy(() -> HttpTls.of(null, null, null, null, null, f)).hasMessageStartingWith("--http-tls-ca:");
    }

    @Test
    void aMissingFileIsNamedWithItsOption() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        assertThatThrownBy(() -> HttpTls.of(f, dir.resolve("nope.key"), null, null, null, null))
                .hasMessageStartingWith("--http-tls-key:").hasMessageContaining("nope.key");
        assertThatThrownBy(() -> HttpTls.of(f, f, null, null, dir.resolve("ca.pem"), null)).hasMessageStartingWith("--http-tls-client-ca:");
    }

    @Test
    void urlsTakeTheClusterScheme() throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "x");
        NodeConfig.Builder b = NodeConfig.builder().nodeId("n1").members("n1=127.0.0.11:7800:8080,n2=127.0.0.12:7800:8080")
                .dataDir(dir);
        NodeConfig plain = b.build();
        assertThat(plain.httpUrl(plain.member("n2"))).isEqualTo("http://127.0.0.12:8080");
        NodeConfig tls = b.httpTls(HttpTls.of(f, f, null, null, null, null)).build();
        assertThat(tls.httpScheme()).isEqualTo("https");
        assertThat(tls.httpUrl(tls.member("n2"))).isEqualTo("https://127.0.0.12:8080");
    }
}
