package dev.baton.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class WebAssetsTest {

    private final WebAssets web = WebAssets.fromClasspath();

    /** An answered GET: what {@link WebAssets#serve} wrote. */
    private static final class Recorded implements HttpCall {
        final String path;
        final Map<String, String> requestHeaders = new HashMap<>();
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int status;
        String contentType;
        byte[] body;

        Recorded(String path) {
            this.path = path;
        }

        @Override public String method() { return "GET"; }
        @Override public String rawPath() { return path; }
        @Override public String rawQuery() { return null; }
        @Override public String header(String name) { return requestHeaders.get(name); }
        @Override public byte[] body(int max) { return new byte[0]; }
        @Override public void setHeader(String name, String value) { headers.put(name, value); }
        @Override public void send(int s, String type, byte[] b) { status = s; contentType = type; body = b; }
        @Override public EventStream stream(String type) { throw new UnsupportedOperationException(); }
        @Override public String remote() { return "test"; }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private Recorded get(String path) {
        Recorded call = new Recorded(path);
        web.serve(call);
        return call;
    }

    @Test
    void rootIsThePageWithItsContentTypeAndPolicy() {
        Recorded r = get("/");
        assertThat(r.status).isEqualTo(200);
        assertThat(r.contentType).isEqualTo("text/html; charset=utf-8");
        assertThat(r.text()).contains("<script src=\"/web/app.js\"").contains("/web/app.css");
        assertThat(r.headers.get("Content-Security-Policy")).contains("default-src 'none'").contains("connect-src 'self'");
        assertThat(r.headers.get("Cache-Control")).isEqualTo("no-cache");
        assertThat(r.headers.get("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void eachAssetHasItsContentType() {
        assertThat(get("/web/app.js").contentType).isEqualTo("text/javascript; charset=utf-8");
        assertThat(get("/web/logic.js").contentType).isEqualTo("text/javascript; charset=utf-8");
        assertThat(get("/web/app.css").contentType).isEqualTo("text/css; charset=utf-8");
        assertThat(get("/web/favicon.svg").contentType).isEqualTo("image/svg+xml");
        assertThat(get("/web/index.html").text()).isEqualTo(get("/").text());
    }

    @Test
    void pageLoadsNothingFromElsewhere() {
        for (String path : new String[] {"/", "/web/app.js", "/web/logic.js", "/web/app.css"}) {
            // the SVG namespace is a name, not a location: the only URL allowed
            String text = get(path).text().replace("'http://www.w3.org/2000/svg'", "");
            assertThat(text).as(path).doesNotContainPattern("https?:").doesNotContain("//cdn").doesNotContain("@import");
        }
    }

    @Test
    void unknownOrTraversingPathsAre404Json() {
        for (String path : new String[] {"/web/", "/web/nope.js", "/web/../index.html", "/web/%2e%2e/index.html",
                "/web/..%2fweb%2fapp.js", "/web/web/app.js", "/web//app.js", "/web/APP.JS", "/web/app.js/",
                "/web/..", "/web/%00app.js", "/web/../../etc/passwd", "/web/app.js%3f", "/index.html", "/app.js"}) {
            assertThatThrownBy(() -> get(path)).as(path).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status).isEqualTo(404);
                JsonNode body = Json.MAPPER.valueToTree(e.body);
                assertThat(body.path("error").asText()).isEqualTo("not_found");
                assertThat(body.path("message").asText()).contains("no such file");
            });
        }
    }

    @Test
    void ownsOnlyTheRootAndTheWebFolder() {
        assertThat(WebAssets.owns("/")).isTrue();
        assertThat(WebAssets.owns("/web/app.js")).isTrue();
        assertThat(WebAssets.owns("/web/anything")).isTrue();
        assertThat(WebAssets.owns("/webx")).isFalse();
        assertThat(WebAssets.owns("/web")).isFalse();
        assertThat(WebAssets.owns("/v1/status")).isFalse();
        assertThat(WebAssets.owns("")).isFalse();
    }

    @Test
    void aCurrentCopyGets304WithoutABody() {
        Recorded first = get("/web/app.js");
        String etag = first.headers.get("ETag");
        assertThat(etag).matches("\"[0-9a-f]{24}\"");
        Recorded again = new Recorded("/web/app.js");
        again.requestHeaders.put("If-None-Match", etag);
        web.serve(again);
        assertThat(again.status).isEqualTo(304);
        assertThat(again.body).isEmpty();
        assertThat(again.headers.get("ETag")).isEqualTo(etag);

        Recorded stale = new Recorded("/web/app.js");
        stale.requestHeaders.put("If-None-Match", "\"0000\"");
        web.serve(stale);
        assertThat(stale.status).isEqualTo(200);
        assertThat(stale.body).isEqualTo(first.body);
        assertThat(get("/web/app.css").headers.get("ETag")).isNotEqualTo(etag);
    }

    @Test
    void ifNoneMatchParsing() {
        assertThat(WebAssets.matches(null, "\"a\"")).isFalse();
        assertThat(WebAssets.matches("\"a\"", "\"a\"")).isTrue();
        assertThat(WebAssets.matches("W/\"a\"", "\"a\"")).isTrue();
        assertThat(WebAssets.matches("\"b\", \"a\"", "\"a\"")).isTrue();
        assertThat(WebAssets.matches("*", "\"a\"")).isTrue();
        assertThat(WebAssets.matches("\"b\"", "\"a\"")).isFalse();
        assertThat(WebAssets.matches("a", "\"a\"")).isFalse();
    }
}
