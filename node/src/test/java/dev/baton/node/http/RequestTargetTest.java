package dev.baton.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.client.wire.ErrorCodes;

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

    @Test
    void aRawSpaceControlOrNonAsciiCharacterIsRefusedNotTruncatedOrReencoded() {
        for (String bad : new String[] {"/v1/kv/sp ace", "/v1/kv/\u00ff\u00fe", "/v1/kv/a\tb", "/v1/kv/a\u007f", "/v1/kv/\u20ac", ""}) {
            assertThatThrownBy(() -> RequestTarget.parse(bad)).as(bad).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status).isEqualTo(400);
                assertThat(e.body.error()).isEqualTo(ErrorCodes.MALFORMED_REQUEST);
            });
        }
        assertThat(RequestTarget.parse("/v1/kv/%ff%fe%20~!$&'()*+,;=:@")).isEqualTo(new RequestTarget("/v1/kv/%ff%fe%20~!$&'()*+,;=:@", null));
    }
}
