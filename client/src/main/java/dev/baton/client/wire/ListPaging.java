package dev.baton.client.wire;

/**
 * How {@code GET /v1/kv?prefix=P&limit=N&after=K} says a listing was cut at its limit and where to
 * go on: the body stays a plain array of entries (older clients keep working), and the headers
 * carry {@link #TRUNCATED_HEADER} ({@code true}/{@code false}) and, when cut, {@link
 * #NEXT_AFTER_HEADER}: the last key returned, percent-encoded ({@link PercentEncoding}), to pass as {@code after}
 * (plus a {@code Link: <...>; rel="next"} with the whole next URL).
 */
public final class ListPaging {

    public static final String TRUNCATED_HEADER = "Baton-Truncated";
    public static final String NEXT_AFTER_HEADER = "Baton-Next-After";

    private ListPaging() {}
}
