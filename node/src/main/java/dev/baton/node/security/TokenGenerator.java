package dev.baton.node.security;

import java.security.SecureRandom;
import java.util.Base64;

/** New bearer tokens: 32 bytes (256 bits) from {@link SecureRandom}, base64url without padding. */
public final class TokenGenerator {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenGenerator() {}

    public static String create() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
