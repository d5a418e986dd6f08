package dev.baton.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestTargetTest {

    @Test
    void splitsPathAndQueryKeepingEscapes() {
        assertThat(RequestTarget.parse("/v1/kv/a%2Fb?stale=true&x=%20"))
                .isEqualTo(new RequestTarget("/v1/kv/a%2Fb", "stale=true&x=%20"));
    }

    @Test
    void noQueryIsNullAndABareQuestionMarkIsEmpty() {
        assertThat(RequestTarget.parse("/v1/status")).isEqualTo(new RequestTarget("/v1/status", null));
        assertThat(RequestTarget.parse("/v1/status?")).isEqualTo(new RequestTarget("/v1/status", ""));
    }

    @Test
    void absoluteFormLosesSchemeAndAuthority() {
        assertThat(RequestTarget.parse("http://127.0.0.1:8080/v1/kv/k?raw=true"))
                .isEqualTo(new RequestTarget("/v1/kv/k", "raw=true"));
        assertThat(RequestTarget.parse("http://host:1?a=1")).isEqualTo(new RequestTarget("/", "a=1"));
    }

    @Test
    void aQuestionMarkInsideTheQueryStaysInTheQuery() {
        assertThat(RequestTarget.parse("/a?b=?c")).isEqualTo(new RequestTarget("/a", "b=?c"));
    }

    @Test
    void dropsAFragment() {
        assertThat(RequestTarget.parse("/a?b=1#frag")).isEqualTo(new RequestTarget("/a", "b=1"));
    }
}
