package dev.baton.node.http;

import dev.baton.client.wire.ErrorCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web status page: {@code GET /} is {@code index.html}, {@code GET /web/NAME} one of the files
 * beside it in the jar's {@code web/} folder. The files hold no data (the page asks the data
 * endpoints, which need a token when tokens are on), so they are open to anyone.
 *
 * <p>The set of files is fixed and read into memory once, at construction: a request names a key
 * of that map or gets 404, so no path a client sends ever reaches the class loader or the file
 * system ({@code /web/../x}, {@code /web/%2e%2e/x} and {@code /web/a/b} are simply unknown names).
 *
 * <p>Caching: file names carry no version, so a browser must revalidate ({@code no-cache}) and
 * gets 304 when its {@code ETag} (a hash of the bytes) still matches; an upgraded node is seen at
 * the next load. Immutable after construction; thread-safe.
 */
final class WebAssets {

    static final String PREFIX = "/web/";

    /** The files of {@code node/src/main/resources/web/}, each with its content type. */
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "logic.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8",
            "favicon.svg", "image/svg+xml");

    /**
     * Same-origin only: the page loads nothing from elsewhere and may not be framed; inline
     * scripts and styles are refused, so an injected string cannot run.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    record Asset(String name, String contentType, byte[] body, String etag) {}

    private final Map<String, Asset> assets;

    private WebAssets(Map<String, Asset> assets) {
        this.assets = Map.copyOf(assets);
    }

    /** Reads the files from the class path; a missing one is a packaging bug and fails the start. */
    static WebAssets fromClasspath() {
        Map<String, Asset> loaded = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : FILES.entrySet()) {
            String resource = "/web/" + f.getKey();
            try (InputStream in = WebAssets.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + resource + " is missing from the node jar");
                }
                byte[] body = in.readAllBytes();
                loaded.put(f.getKey(), new Asset(f.getKey(), f.getValue(), body, etag(body)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
        return new WebAssets(loaded);
    }

    /** Whether {@code rawPath} is this class's to answer: the page or anything under {@link #PREFIX}. */
    static boolean owns(String rawPath) {
        return rawPath.equals("/") || rawPath.startsWith(PREFIX);
    }

    /** Pure: the asset {@code rawPath} names; 404 {@code not_found} for anything else. */
    Asset lookup(String rawPath) {
        String name = rawPath.equals("/") ? "index.html" : rawPath.startsWith(PREFIX) ? rawPath.substring(PREFIX.length()) : null;
        Asset a = name == null ? null : assets.get(name);
        if (a == null) {
            throw ApiException.of(404, ErrorCodes.NOT_FOUND, "no such file: " + rawPath + " (the web page's files are "
                    + String.join(", ", List.copyOf(FILES.keySet()).stream().sorted().toList()) + " under " + PREFIX + ")");
        }
        return a;
    }

    /** Answers a GET of {@code rawPath}: the file, 304 when the client's copy is current, or 404. */
    void serve(HttpCall call) {
        Asset a = lookup(call.rawPath());
        call.setHeader("Cache-Control", "no-cache");
        call.setHeader("ETag", a.etag());
        call.setHeader("X-Content-Type-Options", "nosniff");
        call.setHeader("Referrer-Policy", "no-referrer");
        if (a.contentType().startsWith("text/html")) {
            call.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        }
        if (matches(call.header("If-None-Match"), a.etag())) {
            call.send(304, a.contentType(), new byte[0]);
            return;
        }
        call.send(200, a.contentType(), a.body());
    }

    /** Pure: whether an {@code If-None-Match} header (null: none) names {@code etag} or is {@code *}. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.strip();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals("*") || c.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static String etag(byte[] body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
