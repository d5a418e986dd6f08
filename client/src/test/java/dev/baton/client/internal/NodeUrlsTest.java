package dev.baton.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeUrlsTest {

    @Test
    void parsesCommaSeparatedListTrimmingSpacesTrailingSlashesAndDuplicates() {
        List<URI> urls = NodeUrls.parseList(" http://127.0.0.11:8080/, HTTP://Node-B:8080 ,,http://127.0.0.11:8080");

        assertThat(urls).containsExactly(URI.create("http://127.0.0.11:8080"), URI.create("http://node-b:8080"));
    }

    @Test
    void keepsHttpsAndIpv6() {
        assertThat(NodeUrls.parse("https://[::1]:8443")).isEqualTo(URI.create("https://[::1]:8443"));
    }

    @Test
    void rejectsMissingSchemeNamingTheValue() {
        assertThatThrownBy(() -> NodeUrls.parseList("127.0.0.11:8080"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'127.0.0.11:8080'")
                .hasMessageContaining("http://127.0.0.11:8080");
        assertThatThrownBy(() -> NodeUrls.parse("localhost:8080"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scheme must be http or https");
    }

    @Test
    void rejectsOtherSchemesQueriesAndSyntaxErrors() {
        assertThatThrownBy(() -> NodeUrls.parse("ftp://a:21")).hasMessageContaining("scheme must be http or https");
        assertThatThrownBy(() -> NodeUrls.parse("http://a:8080/?x=1")).hasMessageContaining("query or fragment");
        assertThatThrownBy(() -> NodeUrls.parse("http://a b:8080")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid node URL 'http://a b:8080'");
        assertThatThrownBy(() -> NodeUrls.parse("http://:8080")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsEmptyList() {
        assertThatThrownBy(() -> NodeUrls.parseList(" , ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no node URL given");
    }

    @Test
    void baseOfLocationHeaderDropsPathAndQuery() {
        assertThat(NodeUrls.baseOf(URI.create("http://127.0.0.12:8080/v1/kv/a%2Fb?ifRevision=3")))
                .isEqualTo(URI.create("http://127.0.0.12:8080"));
    }

    @Test
    void resolveAppendsEncodedPath() {
        assertThat(NodeUrls.resolve(URI.create("http://a:1"), "/v1/kv/x%20y"))
                .isEqualTo(URI.create("http://a:1/v1/kv/x%20y"));
    }
}
