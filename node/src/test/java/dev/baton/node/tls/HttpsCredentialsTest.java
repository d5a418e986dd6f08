package dev.baton.node.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.node.config.ConfigException;
import dev.baton.node.config.HttpTls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up checks of the HTTPS files, on two self-signed keytool certificates "a" and "b". */
class HttpsCredentialsTest {

    private static final String PASSWORD = "secret-1";

    @TempDir
    static Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        for (String name : List.of("a", "b")) {
            keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name, "-validity", "2",
                    "-ext", "san=ip:127.0.0.1", "-keystore", p12(name).toString(), "-storetype", "PKCS12");
            keytool("-exportcert", "-rfc", "-alias", name, "-keystore", p12(name).toString(), "-file", pem(name).toString());
            try (InputStream in = Files.newInputStream(p12(name))) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(in, PASSWORD.toCharArray());
                byte[] der = ks.getKey(name, PASSWORD.toCharArray()).getEncoded();
                Files.writeString(key(name), "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
                        + "\n-----END PRIVATE KEY-----\n");
            }
        }
        Files.writeString(dir.resolve("password"), PASSWORD + "\n");
        Files.writeString(dir.resolve("wrong-password"), "not-it\n");
    }

    @Test
    void pemCertificateAndKeyLoad() {
        HttpsCredentials c = HttpsCredentials.load(HttpTls.of(pem("a"), key("a"), null, null, null, null), null);
        assertThat(c.subject()).contains("CN=a");
        assertThat(c.newHandler()).isInstanceOf(TlsOnlyHandler.class);
    }

    @Test
    void keystoreLoadsWithItsPassword() {
        HttpsCredentials c = HttpsCredentials.load(HttpTls.of(null, null, p12("b"), dir.resolve("password"), pem("a"), pem("a")), null);
        assertThat(c.subject()).contains("CN=b");
        assertThat(c.forwarding().getProtocol()).isEqualTo("TLS");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingTheKeyOption() {
        assertThatThrownBy(() -> HttpsCredentials.load(HttpTls.of(pem("a"), key("b"), null, null, null, null), null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("--http-tls-key:").hasMessageContaining("does not match");
    }

    @Test
    void aWrongPasswordIsRefusedNamingThePasswordOption() {
        assertThatThrownBy(() -> HttpsCredentials.load(HttpTls.of(null, null, p12("a"), dir.resolve("wrong-password"), null, null), null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("--http-tls-password-file:");
    }

    @Test
    void aFileWithoutKeyIsRefusedNamingTheKeyOption() {
        assertThatThrownBy(() -> HttpsCredentials.load(HttpTls.of(pem("a"), pem("a"), null, null, null, null), null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("--http-tls-key:").hasMessageContaining("BEGIN PRIVATE KEY");
    }

    @Test
    void garbageAsCertificateIsRefusedNamingTheCertOption() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate");
        assertThatThrownBy(() -> HttpsCredentials.load(HttpTls.of(junk, key("a"), null, null, null, null), null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("--http-tls-cert:");
        assertThatThrownBy(() -> HttpsCredentials.load(HttpTls.of(pem("a"), key("a"), null, null, junk, null), null))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("--http-tls-client-ca:");
    }

    @Test
    void reloadKeepsTheCurrentCertificateWhenTheNewFilesAreBad() throws Exception {
        Path cert = Files.copy(pem("a"), dir.resolve("live.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path k = Files.copy(key("a"), dir.resolve("live.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        HttpsCredentials c = HttpsCredentials.load(HttpTls.of(cert, k, null, null, null, null), null);
        Files.copy(pem("b"), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING); // key still a's
        assertThat(c.reload()).isFalse();
        assertThat(c.subject()).contains("CN=a");
        Files.copy(key("b"), k, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(c.reload()).isTrue();
        assertThat(c.subject()).contains("CN=b");
    }

    private static Path p12(String name) {
        return dir.resolve(name + ".p12");
    }

    private static Path pem(String name) {
        return dir.resolve(name + ".pem");
    }

    private static Path key(String name) {
        return dir.resolve(name + ".key");
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.add("-J-XX:TieredStopAtLevel=1");
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storepass", PASSWORD));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + cmd + "\n" + new String(out, StandardCharsets.UTF_8));
        }
    }
}
