package dev.baton.node.peer;

import dev.baton.node.config.ConfigException;
import dev.baton.node.config.PeerTls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Loads and checks this node's peer TLS files at start-up and builds the {@link SSLContext} of the
 * cluster transport. Every problem is a {@link ConfigException} naming the option whose file is at
 * fault: an unreadable or empty CA file, a keystore that does not open with the password, a
 * keystore with neither a key under alias {@code --id} nor exactly one key, a key that does not
 * match its certificate, a certificate that the CA did not issue (or that is expired), or one that
 * does not name this node's {@code --id}. A node that would be refused by every peer, or accepted
 * as another member, does not start.
 */
public final class PeerCredentials {

    /** TLS 1.3 only: both ends are Baton, so there is no older peer to talk to. */
    public static final String[] PROTOCOLS = {"TLSv1.3"};

    private final SSLContext context;
    private final String subject;

    private PeerCredentials(SSLContext context, String subject) {
        this.context = context;
        this.subject = subject;
    }

    public SSLContext context() {
        return context;
    }

    /** This node's certificate, for the start-up log. */
    public String subject() {
        return subject;
    }

    public static PeerCredentials load(PeerTls tls, String selfId, MemberDirectory directory, PeerRefusals refusals) {
        X509TrustManager pkix = pkix(tls);
        char[] password = tls.password();
        try {
            KeyStore keys = keystore(tls, password);
            String alias = keyAlias(tls, keys, selfId);
            PrivateKey key = privateKey(tls, keys, alias, password);
            X509Certificate[] chain = chain(tls, keys, alias);
            checkKeyMatches(tls, key, chain[0]);
            try {
                pkix.checkClientTrusted(chain, chain[0].getPublicKey().getAlgorithm());
            } catch (CertificateException e) {
                throw new ConfigException(PeerTls.CA_OPTION, "this node's certificate " + CertificateNames.describe(chain[0]) + " in "
                        + tls.keystoreFile() + " is not valid under the CA in " + tls.caFile() + ": " + e.getMessage(), e);
            }
            Verdict own = directory.own(CertificateNames.of(chain[0]), selfId);
            if (!own.accepted()) {
                throw new ConfigException(PeerTls.KEYSTORE_OPTION, "the certificate in " + tls.keystoreFile() + " must name this node's --id '"
                        + selfId + "' (SAN URI " + CertificateNames.URI_PREFIX + selfId + ", or CN=" + selfId + "): " + own.detail());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(only(key, chain, password), password);
            SSLContext ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(kmf.getKeyManagers(), new TrustManager[] {new MemberTrustManager(pkix, directory, refusals)}, null);
            return new PeerCredentials(ctx, CertificateNames.describe(chain[0]));
        } catch (GeneralSecurityException e) {
            throw new ConfigException(PeerTls.KEYSTORE_OPTION, "cannot set up TLS from " + tls.keystoreFile() + ": " + e, e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static X509TrustManager pkix(PeerTls tls) {
        List<Certificate> cas;
        try (InputStream in = Files.newInputStream(tls.caFile())) {
            cas = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        } catch (IOException | CertificateException e) {
            throw new ConfigException(PeerTls.CA_OPTION, "cannot read CA certificates from " + tls.caFile() + ": " + e.getMessage(), e);
        }
        if (cas.isEmpty()) {
            throw new ConfigException(PeerTls.CA_OPTION, tls.caFile() + " holds no certificate");
        }
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                trust.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new ConfigException(PeerTls.CA_OPTION, "no X.509 trust manager for " + tls.caFile());
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException(PeerTls.CA_OPTION, "cannot use the CA certificates in " + tls.caFile() + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore keystore(PeerTls tls, char[] password) {
        try (InputStream in = Files.newInputStream(tls.keystoreFile())) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        } catch (IOException e) {
            boolean badPassword = e.getCause() instanceof java.security.UnrecoverableKeyException;
            if (badPassword) {
                throw new ConfigException(PeerTls.PASSWORD_OPTION, "the password in " + tls.passwordFile() + " does not open " + tls.keystoreFile(), e);
            }
            throw new ConfigException(PeerTls.KEYSTORE_OPTION, "cannot open " + tls.keystoreFile() + " as PKCS#12 with the password in "
                    + tls.passwordFile() + " (" + PeerTls.PASSWORD_OPTION + "): " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new ConfigException(PeerTls.KEYSTORE_OPTION, "cannot open " + tls.keystoreFile() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The key under alias {@code --id}, or the keystore's only key. A keystore may hold several
     * members' keys (a test bed, one file for every node); only this node's is ever presented.
     */
    private static String keyAlias(PeerTls tls, KeyStore keys, String selfId) throws GeneralSecurityException {
        if (keys.isKeyEntry(selfId)) {
            return selfId;
        }
        List<String> aliases = new ArrayList<>();
        for (String a : Collections.list(keys.aliases())) {
            if (keys.isKeyEntry(a)) {
                aliases.add(a);
            }
        }
        if (aliases.size() != 1) {
            throw new ConfigException(PeerTls.KEYSTORE_OPTION, tls.keystoreFile() + " holds " + aliases.size()
                    + " private keys " + aliases + " and none under this node's id '" + selfId + "'; expected one key, or one under alias '" + selfId + "'");
        }
        return aliases.get(0);
    }

    /** A keystore with only this node's key, so the key manager cannot present another. */
    private static KeyStore only(PrivateKey key, X509Certificate[] chain, char[] password) throws GeneralSecurityException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("self", key, password, chain);
            return ks;
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an in-memory keystore", e);
        }
    }

    private static PrivateKey privateKey(PeerTls tls, KeyStore keys, String alias, char[] password) throws GeneralSecurityException {
        Key key;
        try {
            key = keys.getKey(alias, password);
        } catch (java.security.UnrecoverableKeyException e) {
            throw new ConfigException(PeerTls.PASSWORD_OPTION, "the password in " + tls.passwordFile() + " does not unlock the key '"
                    + alias + "' in " + tls.keystoreFile(), e);
        }
        if (!(key instanceof PrivateKey pk)) {
            throw new ConfigException(PeerTls.KEYSTORE_OPTION, "entry '" + alias + "' in " + tls.keystoreFile() + " is not a private key");
        }
        return pk;
    }

    private static X509Certificate[] chain(PeerTls tls, KeyStore keys, String alias) throws GeneralSecurityException {
        Certificate[] certs = keys.getCertificateChain(alias);
        if (certs == null || certs.length == 0) {
            throw new ConfigException(PeerTls.KEYSTORE_OPTION, "key '" + alias + "' in " + tls.keystoreFile() + " has no certificate");
        }
        X509Certificate[] chain = new X509Certificate[certs.length];
        for (int i = 0; i < certs.length; i++) {
            if (!(certs[i] instanceof X509Certificate x)) {
                throw new ConfigException(PeerTls.KEYSTORE_OPTION, "key '" + alias + "' in " + tls.keystoreFile() + " has a non-X.509 certificate");
            }
            chain[i] = x;
        }
        return chain;
    }

    /** Signs a probe with the key and verifies it with the certificate: a keystore can pair a key with someone else's certificate. */
    private static void checkKeyMatches(PeerTls tls, PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new ConfigException(PeerTls.KEYSTORE_OPTION, "unsupported key algorithm " + key.getAlgorithm() + " in "
                    + tls.keystoreFile() + " (RSA, EC or Ed25519)");
        };
        byte[] probe = "baton peer key check".getBytes(StandardCharsets.US_ASCII);
        Signature sign = Signature.getInstance(algorithm);
        sign.initSign(key);
        sign.update(probe);
        byte[] signature = sign.sign();
        Signature verify = Signature.getInstance(algorithm);
        verify.initVerify(cert.getPublicKey());
        verify.update(probe);
        if (!verify.verify(signature)) {
            throw new ConfigException(PeerTls.KEYSTORE_OPTION, "the private key in " + tls.keystoreFile()
                    + " does not match its certificate " + CertificateNames.describe(cert));
        }
    }
}
