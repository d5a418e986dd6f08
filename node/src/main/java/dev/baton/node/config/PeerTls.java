package dev.baton.node.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Mutual TLS between peers: the files that make this node a member in the cluster CA's eyes. Off
 * (plain TCP) unless given; given, all three are required, and each must be a readable file. What
 * is inside (a CA, a key that matches its certificate, a certificate naming {@code --id}) is
 * checked when the node starts ({@code dev.baton.node.peer.PeerCredentials}), with the same
 * option names in the message.
 *
 * @param caFile PEM (or DER) certificate(s) of the cluster CA; a peer's certificate must be issued
 *     by one of them ({@value #CA_OPTION})
 * @param keystoreFile PKCS#12 keystore with this node's private key and certificate chain
 *     ({@value #KEYSTORE_OPTION})
 * @param passwordFile file whose first line is the keystore password; a file, not an option value,
 *     so the password is not visible in the process list ({@value #PASSWORD_OPTION})
 */
public record PeerTls(Path caFile, Path keystoreFile, Path passwordFile) {

    public static final String CA_OPTION = "--peer-tls-ca";
    public static final String KEYSTORE_OPTION = "--peer-tls-keystore";
    public static final String PASSWORD_OPTION = "--peer-tls-password-file";

    public PeerTls {
        requireFile(CA_OPTION, caFile);
        requireFile(KEYSTORE_OPTION, keystoreFile);
        requireFile(PASSWORD_OPTION, passwordFile);
    }

    /**
     * From the three command-line values: null when none is given (plain TCP), a {@link PeerTls}
     * when all are, otherwise a {@link ConfigException} naming the first missing option.
     */
    public static PeerTls of(Path caFile, Path keystoreFile, Path passwordFile) {
        if (caFile == null && keystoreFile == null && passwordFile == null) {
            return null;
        }
        String given = caFile != null ? CA_OPTION : keystoreFile != null ? KEYSTORE_OPTION : PASSWORD_OPTION;
        if (caFile == null) {
            throw new ConfigException(CA_OPTION, "is required with " + given + " (peer TLS needs the CA, the keystore and its password)");
        }
        if (keystoreFile == null) {
            throw new ConfigException(KEYSTORE_OPTION, "is required with " + given + " (peer TLS needs the CA, the keystore and its password)");
        }
        if (passwordFile == null) {
            throw new ConfigException(PASSWORD_OPTION, "is required with " + given + " (peer TLS needs the CA, the keystore and its password)");
        }
        return new PeerTls(caFile, keystoreFile, passwordFile);
    }

    /** The keystore password: the password file's first line, without its line end. */
    public char[] password() {
        return PasswordFile.read(PASSWORD_OPTION, passwordFile);
    }

    private static void requireFile(String option, Path file) {
        if (file == null) {
            throw new ConfigException(option, "is required");
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(option, file + " is not a file");
        }
        if (!Files.isReadable(file)) {
            throw new ConfigException(option, file + " is not readable");
        }
    }
}
