package dev.baton.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the client's {@link SSLContext} from files: the CA certificate(s) that issued the nodes'
 * HTTPS certificates (PEM or DER), and optionally a PKCS#12 keystore with a client certificate for
 * nodes that require one. A bad file is an {@link IllegalArgumentException} naming it.
 */
public final class ClientTls {

    private ClientTls() {}

    /**
     * @param caFile null = the JDK's default trust
     * @param keystore null = no client certificate
     */
    public static SSLContext context(Path caFile, Path keystore, char[] password) {
        try {
            TrustManager[] trust = caFile == null ? null : trust(caFile);
            KeyManager[] keys = keystore == null ? null : keys(keystore, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, trust, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static TrustManager[] trust(Path caFile) throws GeneralSecurityException {
        List<Certificate> cas;
        try (InputStream in = Files.newInputStream(caFile)) {
            cas = new ArrayList<>(java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read CA certificates from " + caFile + ": " + e.getMessage(), e);
        }
        if (cas.isEmpty()) {
            throw new IllegalArgumentException(caFile + " holds no certificate");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        for (int i = 0; i < cas.size(); i++) {
            store.setCertificateEntry("ca-" + i, cas.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(store);
        return tmf.getTrustManagers();
    }

    private static KeyManager[] keys(Path keystore, char[] password) throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot open " + keystore + " as PKCS#12 with the given password: " + e.getMessage(), e);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        return kmf.getKeyManagers();
    }
}
