package dev.baton.it;

import dev.baton.client.BatonClient;
import dev.baton.client.internal.ClientTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * What a cluster needs to run with TLS on everywhere, as {@code scripts/cluster.sh up --secure}
 * makes it: a keytool CA ({@link TestCertificates}), per node a peer TLS keystore (SAN
 * {@code URI:baton:member:ID}) and an HTTPS keystore (SAN {@code IP:host}), and a token file with
 * one admin token. Immutable once made; certificates are made on the first {@link #nodeOptions}
 * call for a node.
 */
public final class SecureMaterial {

    private final TestCertificates ca;
    private final SSLContext context;
    private final String token;
    private final Path tokenFile;

    private SecureMaterial(TestCertificates ca, SSLContext context, String token, Path tokenFile) {
        this.ca = ca;
        this.context = context;
        this.token = token;
        this.tokenFile = tokenFile;
    }

    /** Makes the CA and the admin token under {@code dir} (wiped first). */
    public static SecureMaterial create(Path dir) throws IOException, InterruptedException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
        TestCertificates ca = TestCertificates.newCa(dir, "secure-ca");
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Path tokenFile = dir.resolve("tokens");
        Files.writeString(tokenFile, "tests admin sha256:" + sha256Hex(token) + "\n", StandardCharsets.UTF_8);
        return new SecureMaterial(ca, ClientTls.context(ca.caPem(), null, null), token, tokenFile);
    }

    /** Peer TLS, HTTPS and token-file options for node {@code id} on {@code host}. */
    public List<String> nodeOptions(String id, String host) {
        try {
            List<String> options = new ArrayList<>(ca.nodeOptions(id));
            TestCertificates.ServerFiles https = ca.serverCertificate(id, host);
            options.addAll(List.of("--http-tls-keystore", https.keystore().toString(), "--http-tls-password-file",
                    ca.passwordFile().toString(), "--http-tls-ca", ca.caPem().toString(), "--token-file", tokenFile.toString()));
            return options;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot make the certificates of " + id, e);
        }
    }

    /** Trusts the CA: for https URLs of these nodes. */
    public SSLContext context() {
        return context;
    }

    /** The admin token (bare). */
    public String token() {
        return token;
    }

    /** {@code b} trusting the CA and sending the admin token. */
    public BatonClient.Builder apply(BatonClient.Builder b) {
        return b.trust(ca.caPem()).token(token);
    }

    /**
     * Creates (without starting) a cluster like {@link TestCluster#create(String, int, String...)}
     * whose nodes run with this material and whose {@link TestCluster#http()} sends the token.
     */
    public TestCluster cluster(String name, int size, String... nodeOptions) {
        TestCluster c = TestCluster.create(name, size, context, this::nodeOptions, nodeOptions);
        c.secure(this);
        return c;
    }

    private static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
