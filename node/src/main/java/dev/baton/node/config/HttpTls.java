package dev.baton.node.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTPS on the node's HTTP port. Off (plain HTTP) unless a certificate is given; given, the port
 * speaks only HTTPS. The node's key comes either as PEM certificate chain plus PKCS#8 PEM key, or
 * as a PKCS#12 keystore plus password file, never both. What is inside (a key that matches its
 * certificate, a password that opens the keystore) is checked when the node starts ({@code
 * dev.baton.node.tls.HttpsCredentials}), with the option names in the message.
 *
 * @param certFile PEM certificate chain, this node's first ({@value #CERT_OPTION})
 * @param keyFile PEM PKCS#8 private key of {@code certFile} ({@value #KEY_OPTION})
 * @param keystoreFile PKCS#12 keystore with this node's key and chain ({@value #KEYSTORE_OPTION})
 * @param passwordFile first line is the keystore password ({@value #PASSWORD_OPTION})
 * @param clientCaFile PEM CA(s); given, every client must present a certificate one of them issued
 *     ({@value #CLIENT_CA_OPTION}); null = no client certificates
 * @param caFile PEM CA(s) this node trusts when it forwards a write to the ACTIVE over HTTPS
 *     ({@value #CA_OPTION}); null = the peer TLS CA if configured, else the JDK's default trust
 */
public record HttpTls(Path certFile, Path keyFile, Path keystoreFile, Path passwordFile, Path clientCaFile, Path caFile) {

    public static final String CERT_OPTION = "--http-tls-cert";
    public static final String KEY_OPTION = "--http-tls-key";
    public static final String KEYSTORE_OPTION = "--http-tls-keystore";
    public static final String PASSWORD_OPTION = "--http-tls-password-file";
    public static final String CLIENT_CA_OPTION = "--http-tls-client-ca";
    public static final String CA_OPTION = "--http-tls-ca";

    public HttpTls {
        boolean pem = certFile != null || keyFile != null;
        boolean p12 = keystoreFile != null || passwordFile != null;
        if (pem && p12) {
            throw new ConfigException(pem && certFile != null ? CERT_OPTION : KEY_OPTION,
                    "cannot be combined with " + (keystoreFile != null ? KEYSTORE_OPTION : PASSWORD_OPTION)
                            + " (give PEM certificate and key, or a PKCS#12 keystore and its password file)");
        }
        if (pem) {
            requireFile(CERT_OPTION, certFile, KEY_OPTION);
            requireFile(KEY_OPTION, keyFile, CERT_OPTION);
        } else if (p12) {
            requireFile(KEYSTORE_OPTION, keystoreFile, PASSWORD_OPTION);
            requireFile(PASSWORD_OPTION, passwordFile, KEYSTORE_OPTION);
        } else {
            throw new ConfigException(CERT_OPTION, "is required for HTTPS (or " + KEYSTORE_OPTION + ")");
        }
        if (clientCaFile != null) {
            requireFile(CLIENT_CA_OPTION, clientCaFile, null);
        }
        if (caFile != null) {
            requireFile(CA_OPTION, caFile, null);
        }
    }

    /**
     * From the command-line values: null when none is given (plain HTTP), else an {@link HttpTls}
     * or a {@link ConfigException} naming the option at fault. {@code clientCa} or {@code ca}
     * alone, without this node's certificate, is an error: they mean nothing on a plain port.
     */
    public static HttpTls of(Path cert, Path key, Path keystore, Path passwordFile, Path clientCa, Path ca) {
        if (cert == null && key == null && keystore == null && passwordFile == null) {
            if (clientCa != null || ca != null) {
                throw new ConfigException(clientCa != null ? CLIENT_CA_OPTION : CA_OPTION,
                        "needs HTTPS on: give " + CERT_OPTION + " and " + KEY_OPTION + ", or " + KEYSTORE_OPTION + " and " + PASSWORD_OPTION);
            }
            return null;
        }
        return new HttpTls(cert, key, keystore, passwordFile, clientCa, ca);
    }

    /** The password: the password file's first line (null for PEM). */
    public char[] password() {
        return passwordFile == null ? null : PasswordFile.read(PASSWORD_OPTION, passwordFile);
    }

    /** The files whose change means new credentials: key material and client CA. */
    public List<Path> watchedFiles() {
        List<Path> files = new ArrayList<>();
        for (Path p : new Path[] {certFile, keyFile, keystoreFile, passwordFile, clientCaFile}) {
            if (p != null) {
                files.add(p);
            }
        }
        return files;
    }

    private static void requireFile(String option, Path file, String with) {
        if (file == null) {
            throw new ConfigException(option, "is required with " + with);
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(option, file + " is not a file");
        }
        if (!Files.isReadable(file)) {
            throw new ConfigException(option, file + " is not readable");
        }
    }
}
