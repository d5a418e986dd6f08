package dev.baton.it;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.client.wire.ErrorBody;
import dev.baton.client.wire.SessionInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Plain HTTP against one node, redirects NOT followed (tests look at the 307 themselves). Bodies are
 * read as bytes; {@link Response#json} maps them onto the wire records of {@code dev.baton.client.wire}.
 */
public final class Http {

    public static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final HttpClient client;

    public Http() {
        this(null);
    }

    /** @param tls trust (and client certificate) of https URLs; null = the JDK's default */
    public Http(javax.net.ssl.SSLContext tls) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            b.sslContext(tls);
        }
        this.client = b.build();
    }

    /** Sent as {@code Authorization: Bearer} with every request when set (nodes with --token-file); null: none. */
    private volatile String bearer;

    /** Sends {@code token} with every later request of this instance (null: none); returns this. */
    public Http bearer(String token) {
        this.bearer = token;
        return this;
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder b) {
        String t = bearer;
        return t == null ? b : b.setHeader("Authorization", "Bearer " + t);
    }

    /** One answer. {@code body} is never null. */
    public record Response(String method, String uri, int status, HttpHeaders headers, byte[] body) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public <T> T json(Class<T> type) {
            try {
                return JSON.readValue(body, type);
            } catch (IOException e) {
                throw new AssertionError("not a " + type.getSimpleName() + " JSON body: " + this, e);
            }
        }

        public JsonNode tree() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not a JSON body: " + this, e);
            }
        }

        public ErrorBody error() {
            return json(ErrorBody.class);
        }

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        @Override
        public String toString() {
            return method + " " + uri + " -> " + status + " " + text();
        }
    }

    public Response get(String uri) {
        return send(HttpRequest.newBuilder(URI.create(uri)).GET(), "GET", uri);
    }

    public Response put(String uri, String body) {
        return put(uri, body.getBytes(StandardCharsets.UTF_8));
    }

    public Response put(String uri, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(uri)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)), "PUT", uri);
    }

    public Response delete(String uri) {
        return send(HttpRequest.newBuilder(URI.create(uri)).DELETE(), "DELETE", uri);
    }

    public Response method(String method, String uri, byte[] body) {
        return send(
                HttpRequest.newBuilder(URI.create(uri)).method(method, HttpRequest.BodyPublishers.ofByteArray(body)),
                method,
                uri);
    }

    /** {@code method} with a body and request headers given as name, value, name, value, ... */
    public Response withHeaders(String method, String uri, byte[] body, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(uri)).method(method, HttpRequest.BodyPublishers.ofByteArray(body)).headers(headers),
                method, uri);
    }

    /** GET with a short timeout for polling; completes exceptionally if the node does not answer. */
    public CompletableFuture<Response> getAsync(String uri, Duration timeout) {
        HttpRequest request =
                authorized(HttpRequest.newBuilder(URI.create(uri)).GET().timeout(timeout)).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(r -> new Response("GET", uri, r.statusCode(), r.headers(), r.body()));
    }

    private Response send(HttpRequest.Builder builder, String method, String uri) {
        try {
            HttpResponse<byte[]> r = client.send(
                    authorized(builder.timeout(REQUEST_TIMEOUT)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(method, uri, r.statusCode(), r.headers(), r.body() == null ? new byte[0] : r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens a client session on the node at {@code baseUrl} (the ACTIVE) and returns its id; fails unless 200. */
    /** PUT {@code value} as write {@code seq} of {@code session}, vouching for this session's writes below {@code ackedBelow}. */
    public Response putInSession(String url, String value, String session, long seq, long ackedBelow) {
        return withHeaders("PUT", url, value.getBytes(StandardCharsets.UTF_8), "Baton-Client-Id", session,
                "Baton-Request-Seq", Long.toString(seq), "Baton-Acked-Below", Long.toString(ackedBelow));
    }

    public String openSession(String baseUrl) {
        Response r = method("POST", baseUrl + "/v1/sessions", new byte[0]);
        if (r.status() != 200) {
            throw new AssertionError("opening a session failed: " + r);
        }
        return r.json(SessionInfo.class).session();
    }

    /**
     * The path of a key under {@code /v1/kv/}: every UTF-8 byte outside {@code [A-Za-z0-9._~/-]} is
     * percent-encoded, so keys with spaces, control or non-ASCII characters arrive intact.
     */
    public static String kvPath(String key) {
        StringBuilder sb = new StringBuilder("/v1/kv/");
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '~' || c == '-' || c == '/') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }
}
