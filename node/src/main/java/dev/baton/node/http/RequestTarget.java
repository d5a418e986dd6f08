package dev.baton.node.http;

import dev.baton.client.wire.ErrorCodes;

/**
 * The path and query of an HTTP request line's target, both still percent-encoded, as {@link
 * java.net.URI#getRawPath} and {@link java.net.URI#getRawQuery} give them: no '?' means a null
 * query, a bare '?' an empty one. An absolute-form target ({@code http://host:port/path}, which
 * HTTP/1.1 servers must accept) loses its scheme and authority. Pure.
 *
 * <p>A target holds only visible ASCII (RFC 9112 §3.2, RFC 3986): anything else, such as a raw
 * space, a control character or a non-ASCII byte (which the HTTP decoder hands over as one
 * ISO-8859-1 char each), is refused rather than truncated or re-encoded, as a client meaning it must
 * percent-encode it.
 */
record RequestTarget(String rawPath, String rawQuery) {

    /** Splits {@code target}; a character outside visible ASCII is a 400 {@code malformed_request}. */
    static RequestTarget parse(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw ApiException.badRequest(ErrorCodes.MALFORMED_REQUEST, "request target contains "
                        + (c == ' ' ? "a raw space" : "the raw byte 0x" + Integer.toHexString(c)) + " at offset " + i
                        + "; percent-encode it (e.g. %20)");
            }
        }
        if (target.isEmpty()) {
            throw ApiException.badRequest(ErrorCodes.MALFORMED_REQUEST, "empty request target");
        }
        String t = target;
        int hash = t.indexOf('#');
        if (hash >= 0) {
            t = t.substring(0, hash);
        }
        int scheme = t.indexOf("://");
        if (!t.startsWith("/") && scheme > 0) {
            int end = t.length();
            for (int i = scheme + 3; i < t.length(); i++) {
                if (t.charAt(i) == '/' || t.charAt(i) == '?') {
                    end = i;
                    break;
                }
            }
            t = t.startsWith("/", end) ? t.substring(end) : "/" + t.substring(end);
        }
        int q = t.indexOf('?');
        return q < 0 ? new RequestTarget(t, null) : new RequestTarget(t.substring(0, q), t.substring(q + 1));
    }
}
