package dev.baton.client.internal;

import dev.baton.client.InvalidRequestException;
import dev.baton.client.wire.ErrorCodes;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** The API paths, with keys percent-encoded as UTF-8 (RFC 3986; '/' in keys is kept). */
public final class Paths {

    public static final String STATUS = "/v1/status";
    public static final String LEADER = "/v1/leader";
    public static final String HISTORY = "/v1/history";

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Paths() {}

    /** {@code /v1/kv/{key}}; rejects an empty key before anything is sent. */
    public static String kv(String key) {
        checkKey(key);
        return "/v1/kv/" + encode(key, true);
    }

    /** {@code /v1/kv?prefix=...} (no prefix parameter for the empty prefix). */
    public static String list(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return prefix.isEmpty() ? "/v1/kv" : "/v1/kv?prefix=" + encode(prefix, false);
    }

    /** One page: up to {@code limit} keys with {@code prefix} after {@code after} ("" for the first page). */
    public static String listPage(String prefix, String after, int limit) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(after, "after");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        return "/v1/kv?prefix=" + encode(prefix, false) + (after.isEmpty() ? "" : "&after=" + encode(after, false))
                + "&limit=" + limit;
    }

    static void checkKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new InvalidRequestException(ErrorCodes.INVALID_KEY, "key must not be empty", null);
        }
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters (and '/', if {@code keepSlash}). */
    static String encode(String s, boolean keepSlash) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || (keepSlash && c == '/');
            if (unreserved) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
