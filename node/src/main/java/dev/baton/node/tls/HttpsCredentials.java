package dev.baton.node.tls;

import dev.baton.node.config.ConfigException;
import dev.baton.node.config.HttpTls;
import dev.baton.node.config.PeerTls;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTPS credentials: the server {@link SslContext} every new connection uses (JDK TLS,
 * TLS 1.3 and 1.2), and the client {@link SSLContext} this node forwards writes with. {@link
 * #load} checks the files at start-up ({@link ConfigException} naming the option); {@link
 * #reload} reads them again, and a bad new file keeps the current context. Thread-safe: the
 * context is swapped atomically, connections already open keep the one they started with.
 */
public final class HttpsCredentials {

    private static final Logger log = LoggerFactory.getLogger(HttpsCredentials.class);

    /** TLS 1.3, and 1.2 for clients that have no 1.3. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final HttpTls tls;
    private final SSLContext forwarding;
    private final AtomicReference<Loaded> current;

    /** One generation of the files: the server context and the same key for forwarded writes. */
    private record Loaded(SslContext server, X509Certificate certificate, X509ExtendedKeyManager clientKeys) {}

    private HttpsCredentials(HttpTls tls, Loaded first, Path forwardCa, String caOption) {
        this.tls = tls;
        this.current = new AtomicReference<>(first);
        // made once; presents the key current at each handshake
        this.forwarding = forwardingContext(new CurrentKeyManager(() -> current.get().clientKeys()), forwardCa, caOption);
    }

    /**
     * Loads and checks the files of {@code tls}; {@code peerTls} (may be null) supplies the CA to
     * trust when forwarding if {@code --http-tls-ca} is not given.
     */
    public static HttpsCredentials load(HttpTls tls, PeerTls peerTls) {
        KeyMaterial keys = KeyMaterial.load(tls);
        Loaded first = build(tls, keys);
        Path forwardCa = tls.caFile() != null ? tls.caFile() : peerTls != null ? peerTls.caFile() : null;
        String caOption = tls.caFile() != null ? HttpTls.CA_OPTION : PeerTls.CA_OPTION;
        return new HttpsCredentials(tls, first, forwardCa, caOption);
    }

    /** A new TLS-or-refuse handler for one accepted connection, with the current context. */
    public ChannelHandler newHandler() {
        return new TlsOnlyHandler(current.get().server());
    }

    /**
     * The client context of forwarded writes: trusts the cluster's HTTP CA, presents this node's
     * current key (the CA is read once, at start-up).
     */
    public SSLContext forwarding() {
        return forwarding;
    }

    /** This node's certificate now, for logs. */
    public String subject() {
        return KeyMaterial.describe(current.get().certificate());
    }

    /**
     * Reads the files again and uses them for new connections. On any problem the current context
     * stays and the problem is logged at ERROR (an operator replacing a file fixes it and the
     * watcher or the next call tries again).
     *
     * @return whether the new files are in use
     */
    public boolean reload() {
        try {
            KeyMaterial keys = KeyMaterial.load(tls);
            Loaded next = build(tls, keys);
            current.set(next);
            log.info("HTTPS certificate reloaded: {} (new connections use it)", KeyMaterial.describe(next.certificate()));
            return true;
        } catch (ConfigException e) {
            log.error("HTTPS certificate reload failed, keeping {}: {}", subject(), e.getMessage());
            return false;
        } catch (RuntimeException e) {
            log.error("HTTPS certificate reload failed, keeping {}", subject(), e);
            return false;
        }
    }

    /** Starts a daemon thread that calls {@link #reload} when a watched file changes (polled every {@code pollMs}). */
    public FileWatcher watch(long pollMs) {
        return FileWatcher.start("baton-https-reload", tls.watchedFiles(), pollMs, this::reload);
    }

    private static Loaded build(HttpTls tls, KeyMaterial keys) {
        try {
            SslContextBuilder b = SslContextBuilder.forServer(keys.key(), keys.chain())
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS);
            if (tls.clientCaFile() != null) {
                b.trustManager(KeyMaterial.certificates(HttpTls.CLIENT_CA_OPTION, tls.clientCaFile())).clientAuth(ClientAuth.REQUIRE);
            }
            return new Loaded(b.build(), keys.chain()[0], clientKeys(keys));
        } catch (SSLException e) {
            throw new ConfigException(tls.certFile() != null ? HttpTls.CERT_OPTION : HttpTls.KEYSTORE_OPTION,
                    "cannot set up HTTPS: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedKeyManager clientKeys(KeyMaterial keys) {
        try {
            char[] none = new char[0];
            KeyStore own = KeyStore.getInstance("PKCS12");
            own.load(null, null);
            own.setKeyEntry("self", keys.key(), none, keys.chain());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(own, none);
            for (KeyManager km : kmf.getKeyManagers()) {
                if (km instanceof X509ExtendedKeyManager x) {
                    return x;
                }
            }
            throw new GeneralSecurityException("no X.509 key manager");
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException(HttpTls.CERT_OPTION, "cannot use this node's key for forwarded writes: " + e.getMessage(), e);
        }
    }

    private static SSLContext forwardingContext(X509ExtendedKeyManager keys, Path caFile, String caOption) {
        try {
            TrustManager[] trust = null; // the JDK's default trust
            if (caFile != null) {
                KeyStore cas = KeyStore.getInstance("PKCS12");
                cas.load(null, null);
                X509Certificate[] certs = KeyMaterial.certificates(caOption, caFile);
                for (int i = 0; i < certs.length; i++) {
                    cas.setCertificateEntry("ca-" + i, certs[i]);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
                tmf.init(cas);
                trust = tmf.getTrustManagers();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[] {keys}, trust, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException(caOption, "cannot set up the HTTPS client of forwarded writes: " + e.getMessage(), e);
        }
    }
}
