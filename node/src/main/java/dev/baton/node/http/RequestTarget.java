package dev.baton.node.http;

/**
 * The path and query of an HTTP request line's target, both still percent-encoded, as {@link
 * java.net.URI#getRawPath} and {@link java.net.URI#getRawQuery} give them: no '?' means a null
 * query, a bare '?' an empty one. An absolute-form target ({@code http://host:port/path}, which
 * HTTP/1.1 servers must accept) loses its scheme and authority. Pure.
 */
record RequestTarget(String rawPath, String rawQuery) {

    static RequestTarget parse(String target) {
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
