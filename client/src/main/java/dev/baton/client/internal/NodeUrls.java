package dev.baton.client.internal;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Parses and normalizes node base URLs ({@code http://host:port}). A normalized URL has a lower-case
 * http/https scheme and host, no user info, query or fragment, and no trailing slash, so that the
 * same node reached through seeds, redirects and member lists compares equal.
 */
public final class NodeUrls {

    private static final String EXAMPLE = "expected e.g. http://127.0.0.11:8080";

    private NodeUrls() {}

    /** Parses {@code "http://a:8080, http://b:8080"}; blank entries are skipped, duplicates dropped. */
    public static List<URI> parseList(String commaSeparated) {
        Objects.requireNonNull(commaSeparated, "seeds");
        List<URI> urls = new ArrayList<>();
        for (String part : commaSeparated.split(",", -1)) {
            if (!part.isBlank()) {
                urls.add(parse(part));
            }
        }
        return normalizeAll(urls);
    }

    /** Normalizes a list of URLs, dropping duplicates; fails on an empty list. */
    public static List<URI> normalizeAll(List<URI> urls) {
        Objects.requireNonNull(urls, "seeds");
        LinkedHashSet<URI> out = new LinkedHashSet<>();
        for (URI url : urls) {
            out.add(normalize(Objects.requireNonNull(url, "seed URL")));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no node URL given (" + EXAMPLE + ")");
        }
        return List.copyOf(out);
    }

    /** Parses one URL string; throws {@link IllegalArgumentException} naming the bad value. */
    public static URI parse(String raw) {
        Objects.requireNonNull(raw, "url");
        String trimmed = raw.trim();
        try {
            return normalize(new URI(trimmed));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "invalid node URL '" + trimmed + "': " + e.getReason() + " (" + EXAMPLE + ")", e);
        }
    }

    /** Normalizes an absolute http(s) URL; throws {@link IllegalArgumentException} if it is not one. */
    public static URI normalize(URI url) {
        String scheme = url.getScheme() == null ? null : url.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw bad(url, "scheme must be http or https");
        }
        if (url.isOpaque() || url.getHost() == null) {
            throw bad(url, "missing or malformed host");
        }
        if (url.getRawUserInfo() != null) {
            throw bad(url, "user info is not supported");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw bad(url, "must not have a query or fragment");
        }
        String path = url.getPath() == null ? "" : url.getPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        try {
            return new URI(scheme, null, url.getHost().toLowerCase(Locale.ROOT), url.getPort(), path, null, null);
        } catch (URISyntaxException e) {
            throw bad(url, e.getReason());
        }
    }

    /** A JSON {@code GET} of {@code encodedPathAndQuery} on {@code node}, bounded by {@code timeout}. */
    public static HttpRequest getJson(URI node, String encodedPathAndQuery, Duration timeout) {
        return HttpRequest.newBuilder(resolve(node, encodedPathAndQuery))
                .timeout(timeout)
                .header("Accept", "application/json")
                .GET()
                .build();
    }

    /** {@code base} + an already-encoded path and query starting with '/'. */
    public static URI resolve(URI base, String encodedPathAndQuery) {
        return URI.create(base.toString() + encodedPathAndQuery);
    }

    /** The scheme and authority of an absolute URL (e.g. a Location header), normalized. */
    public static URI baseOf(URI absolute) {
        try {
            return normalize(new URI(absolute.getScheme(), null, absolute.getHost(), absolute.getPort(), null, null, null));
        } catch (URISyntaxException e) {
            throw bad(absolute, e.getReason());
        }
    }

    private static IllegalArgumentException bad(URI url, String why) {
        return new IllegalArgumentException("invalid node URL '" + url + "': " + why + " (" + EXAMPLE + ")");
    }
}
