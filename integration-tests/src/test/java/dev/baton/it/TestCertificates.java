package dev.baton.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority for peer TLS tests, made with the JDK's {@code keytool} (no
 * crypto library in the tests): a CA keypair, then per member a PKCS#12 keystore with its key and a
 * certificate the CA signed, naming the member as SAN {@code URI:baton:member:ID}. Every file is
 * under one directory; all stores share one password, kept in {@link #passwordFile()}.
 */
public final class TestCertificates {

    private static final String PASSWORD = "baton-test";
    private static final long KEYTOOL_TIMEOUT_S = 120;

    private final Path dir;
    private final String caName;

    private TestCertificates(Path dir, String caName) {
        this.dir = dir;
        this.caName = caName;
    }

    /** Creates a new CA named {@code caName} in {@code dir} (created if missing). */
    public static TestCertificates newCa(Path dir, String caName) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        TestCertificates ca = new TestCertificates(dir, caName);
        Files.writeString(ca.passwordFile(), PASSWORD + "\n", StandardCharsets.UTF_8);
        ca.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + caName,
                "-ext", "bc:c", "-validity", "2", "-keystore", ca.caStore().toString(), "-storetype", "PKCS12");
        ca.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.caStore().toString(), "-file", ca.caPem().toString());
        return ca;
    }

    /** The CA certificate, PEM: the value of {@code --peer-tls-ca}. */
    public Path caPem() {
        return dir.resolve(caName + ".pem");
    }

    public Path passwordFile() {
        return dir.resolve(caName + ".password");
    }

    private Path caStore() {
        return dir.resolve(caName + "-ca.p12");
    }

    /** The keystore of member {@code id}, issued by this CA (made on first call). */
    public Path keystore(String id) throws IOException, InterruptedException {
        Path store = dir.resolve(caName + "-" + id + ".p12");
        if (Files.exists(store)) {
            return store;
        }
        Path csr = dir.resolve(caName + "-" + id + ".csr");
        Path cert = dir.resolve(caName + "-" + id + ".pem");
        keytool("-genkeypair", "-alias", id, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + id, "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12");
        keytool("-certreq", "-alias", id, "-keystore", store.toString(), "-file", csr.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", caStore().toString(), "-infile", csr.toString(), "-outfile", cert.toString(),
                "-rfc", "-ext", "san=uri:baton:member:" + id, "-ext", "eku=serverAuth,clientAuth", "-validity", "2");
        // the reply with the CA appended establishes the chain without a CA entry in the keystore
        Files.writeString(cert, Files.readString(cert) + Files.readString(caPem()));
        keytool("-importcert", "-alias", id, "-keystore", store.toString(), "-file", cert.toString(), "-noprompt");
        return store;
    }

    /** An HTTPS server certificate: PKCS#12 keystore, and the same as PEM chain plus PKCS#8 PEM key. */
    public record ServerFiles(Path keystore, Path certPem, Path keyPem) {}

    /**
     * An HTTPS certificate named {@code name} (CN and file names; made on first call) for a node
     * on {@code host}: SAN {@code IP:host} (clients verify it) and {@code DNS:localhost}.
     */
    public ServerFiles serverCertificate(String name, String host) throws IOException, InterruptedException {
        Path store = dir.resolve(caName + "-https-" + name + ".p12");
        Path cert = dir.resolve(caName + "-https-" + name + ".pem");
        Path key = dir.resolve(caName + "-https-" + name + ".key");
        if (Files.exists(key)) {
            return new ServerFiles(store, cert, key);
        }
        Path csr = dir.resolve(caName + "-https-" + name + ".csr");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name, "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12");
        keytool("-certreq", "-alias", name, "-keystore", store.toString(), "-file", csr.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", caStore().toString(), "-infile", csr.toString(), "-outfile", cert.toString(),
                "-rfc", "-ext", "san=ip:" + host + ",dns:localhost", "-ext", "eku=serverAuth,clientAuth", "-validity", "2");
        Files.writeString(cert, Files.readString(cert) + Files.readString(caPem()));
        keytool("-importcert", "-alias", name, "-keystore", store.toString(), "-file", cert.toString(), "-noprompt");
        try (java.io.InputStream in = Files.newInputStream(store)) {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            byte[] der = ks.getKey(name, PASSWORD.toCharArray()).getEncoded();
            String pem = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(der) + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(key, pem, StandardCharsets.US_ASCII);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot export the key of " + store, e);
        }
        return new ServerFiles(store, cert, key);
    }

    /** The three peer TLS options for member {@code id}, trusting {@code caFile}. */
    public List<String> nodeOptions(String id, Path caFile) throws IOException, InterruptedException {
        return List.of("--peer-tls-ca", caFile.toString(), "--peer-tls-keystore", keystore(id).toString(),
                "--peer-tls-password-file", passwordFile().toString());
    }

    /** As {@link #nodeOptions(String, Path)} with this CA. */
    public List<String> nodeOptions(String id) throws IOException, InterruptedException {
        return nodeOptions(id, caPem());
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.add("-J-XX:TieredStopAtLevel=1"); // a dozen short JVMs: start-up time is all that counts
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storepass", PASSWORD));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(KEYTOOL_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("keytool timed out: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new IOException("keytool failed (" + p.exitValue() + "): " + cmd + "\n" + new String(out, StandardCharsets.UTF_8));
        }
    }
}
