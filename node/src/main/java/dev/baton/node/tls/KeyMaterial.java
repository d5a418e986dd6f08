package dev.baton.node.tls;

import dev.baton.node.config.ConfigException;
import dev.baton.node.config.HttpTls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * This node's HTTPS key and certificate chain, read from PEM files or a PKCS#12 keystore and
 * checked: the key matches the first certificate, which is valid now. Every problem is a {@link
 * ConfigException} naming the option whose file is at fault.
 */
record KeyMaterial(PrivateKey key, X509Certificate[] chain) {

    static KeyMaterial load(HttpTls tls) {
        KeyMaterial m = tls.certFile() != null ? fromPem(tls) : fromKeystore(tls);
        String certOption = tls.certFile() != null ? HttpTls.CERT_OPTION : HttpTls.KEYSTORE_OPTION;
        Path certFile = tls.certFile() != null ? tls.certFile() : tls.keystoreFile();
        try {
            m.chain[0].checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new ConfigException(certOption, "the certificate " + describe(m.chain[0]) + " in " + certFile + " is not valid now: "
                    + e.getMessage(), e);
        }
        checkKeyMatches(m, tls.certFile() != null ? HttpTls.KEY_OPTION : HttpTls.KEYSTORE_OPTION, certFile);
        return m;
    }

    /** PEM or DER certificates, at least one; {@code option} names the file in errors. */
    static X509Certificate[] certificates(String option, Path file) {
        List<X509Certificate> certs = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certs.add((X509Certificate) c);
            }
        } catch (IOException | CertificateException | ClassCastException e) {
            throw new ConfigException(option, "cannot read certificates from " + file + ": " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new ConfigException(option, file + " holds no certificate");
        }
        return certs.toArray(X509Certificate[]::new);
    }

    static String describe(X509Certificate cert) {
        return "'" + cert.getSubjectX500Principal().getName() + "' (serial " + cert.getSerialNumber().toString(16) + ")";
    }

    private static KeyMaterial fromPem(HttpTls tls) {
        X509Certificate[] chain = certificates(HttpTls.CERT_OPTION, tls.certFile());
        String text;
        try {
            text = Files.readString(tls.keyFile(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException(HttpTls.KEY_OPTION, "cannot read " + tls.keyFile() + ": " + e, e);
        }
        String begin = "-----BEGIN PRIVATE KEY-----";
        int from = text.indexOf(begin);
        int to = text.indexOf("-----END PRIVATE KEY-----");
        if (from < 0 || to < from) {
            String hint = text.contains("ENCRYPTED PRIVATE KEY") ? "an encrypted key (use an unencrypted PKCS#8 key, or a PKCS#12 keystore)"
                    : text.contains("RSA PRIVATE KEY") || text.contains("EC PRIVATE KEY")
                            ? "a traditional key (convert it: openssl pkcs8 -topk8 -nocrypt)" : "not a PEM private key";
            throw new ConfigException(HttpTls.KEY_OPTION, tls.keyFile() + " holds " + hint + "; expected " + begin);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(HttpTls.KEY_OPTION, tls.keyFile() + " is not valid base64 PEM: " + e.getMessage(), e);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        String algorithm = chain[0].getPublicKey().getAlgorithm();
        try {
            return new KeyMaterial(KeyFactory.getInstance(algorithm).generatePrivate(spec), chain);
        } catch (GeneralSecurityException e) {
            throw new ConfigException(HttpTls.KEY_OPTION, "cannot read " + tls.keyFile() + " as a PKCS#8 " + algorithm
                    + " key (the algorithm of the certificate in " + tls.certFile() + "): " + e.getMessage(), e);
        }
    }

    private static KeyMaterial fromKeystore(HttpTls tls) {
        char[] password = tls.password();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(tls.keystoreFile())) {
                ks.load(in, password);
            } catch (IOException e) {
                if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
                    throw new ConfigException(HttpTls.PASSWORD_OPTION, "the password in " + tls.passwordFile() + " does not open "
                            + tls.keystoreFile(), e);
                }
                throw new ConfigException(HttpTls.KEYSTORE_OPTION, "cannot open " + tls.keystoreFile() + " as PKCS#12 with the password in "
                        + tls.passwordFile() + ": " + e.getMessage(), e);
            }
            List<String> aliases = new ArrayList<>();
            for (String a : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(a)) {
                    aliases.add(a);
                }
            }
            if (aliases.size() != 1) {
                throw new ConfigException(HttpTls.KEYSTORE_OPTION, tls.keystoreFile() + " holds " + aliases.size() + " private keys "
                        + aliases + "; expected exactly one");
            }
            String alias = aliases.get(0);
            Key key;
            try {
                key = ks.getKey(alias, password);
            } catch (java.security.UnrecoverableKeyException e) {
                throw new ConfigException(HttpTls.PASSWORD_OPTION, "the password in " + tls.passwordFile() + " does not unlock the key '"
                        + alias + "' in " + tls.keystoreFile(), e);
            }
            if (!(key instanceof PrivateKey pk)) {
                throw new ConfigException(HttpTls.KEYSTORE_OPTION, "entry '" + alias + "' in " + tls.keystoreFile() + " is not a private key");
            }
            Certificate[] certs = ks.getCertificateChain(alias);
            if (certs == null || certs.length == 0) {
                throw new ConfigException(HttpTls.KEYSTORE_OPTION, "key '" + alias + "' in " + tls.keystoreFile() + " has no certificate");
            }
            X509Certificate[] chain = new X509Certificate[certs.length];
            for (int i = 0; i < certs.length; i++) {
                if (!(certs[i] instanceof X509Certificate x)) {
                    throw new ConfigException(HttpTls.KEYSTORE_OPTION, "key '" + alias + "' in " + tls.keystoreFile() + " has a non-X.509 certificate");
                }
                chain[i] = x;
            }
            return new KeyMaterial(pk, chain);
        } catch (GeneralSecurityException e) {
            throw new ConfigException(HttpTls.KEYSTORE_OPTION, "cannot open " + tls.keystoreFile() + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Signs a probe with the key and verifies it with the certificate: a key file can belong to another certificate. */
    private static void checkKeyMatches(KeyMaterial m, String keyOption, Path certFile) {
        String algorithm = switch (m.key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new ConfigException(keyOption, "unsupported key algorithm " + m.key.getAlgorithm() + " (RSA, EC or Ed25519)");
        };
        byte[] probe = "baton https key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(m.key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(m.chain[0].getPublicKey());
            verify.update(probe);
            if (verify.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            throw new ConfigException(keyOption, "the private key does not match the certificate " + describe(m.chain[0]) + " in "
                    + certFile + ": " + e.getMessage(), e);
        }
        throw new ConfigException(keyOption, "the private key does not match the certificate " + describe(m.chain[0]) + " in " + certFile);
    }
}
