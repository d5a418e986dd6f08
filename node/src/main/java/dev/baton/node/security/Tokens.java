package dev.baton.node.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * An immutable set of known tokens, each kept only as the SHA-256 of the token. Thread-safe.
 *
 * <p>A presented token is hashed and compared with every entry in constant time
 * ({@link MessageDigest#isEqual}), without stopping at the first match, so the answer time says
 * nothing about how close a guess was or which entry it matched.
 */
public final class Tokens {

    /** One line of the token file. {@code sha256} is the 32-byte digest of the token. */
    public record Entry(String name, AccessRole role, byte[] sha256) {}

    public static final Tokens NONE = new Tokens(List.of());

    private final List<Entry> entries;

    public Tokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public int size() {
        return entries.size();
    }

    /** The entry whose hash is the presented token's, if any. */
    public Optional<Entry> match(String token) {
        byte[] presented = sha256(token);
        Entry found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.sha256(), presented) && found == null) {
                found = e;
            }
        }
        return Optional.ofNullable(found);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The form stored in the token file: {@code sha256:<64 hex digits>}. */
    public static String hashed(String token) {
        return "sha256:" + HexFormat.of().formatHex(sha256(token));
    }
}
