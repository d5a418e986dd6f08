package dev.baton.client.internal;

import dev.baton.client.InvalidRequestException;
import dev.baton.client.wire.ErrorCodes;
import dev.baton.client.wire.PercentEncoding;
import java.util.Objects;

/** The API paths, with keys percent-encoded as UTF-8 (RFC 3986; '/' in keys is kept). */
public final class Paths {

    public static final String STATUS = "/v1/status";
    public static final String LEADER = "/v1/leader";
    public static final String HISTORY = "/v1/history";
    public static final String MEMBERS = "/v1/admin/members";

    private Paths() {}

    /** {@code /v1/kv/{key}}; rejects an empty key before anything is sent. */
    public static String kv(String key) {
        checkKey(key);
        return "/v1/kv/" + PercentEncoding.encode(key, true);
    }

    /** {@code /v1/kv?prefix=...} (no prefix parameter for the empty prefix). */
    public static String list(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return prefix.isEmpty() ? "/v1/kv" : "/v1/kv?prefix=" + PercentEncoding.encode(prefix, false);
    }

    /** One page: up to {@code limit} keys with {@code prefix} after {@code after} ("" for the first page). */
    public static String listPage(String prefix, String after, int limit) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(after, "after");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        String from = after.isEmpty() ? "" : "&after=" + PercentEncoding.encode(after, false);
        return "/v1/kv?prefix=" + PercentEncoding.encode(prefix, false) + from + "&limit=" + limit;
    }

    static void checkKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new InvalidRequestException(ErrorCodes.INVALID_KEY, "key must not be empty", null);
        }
    }
}
