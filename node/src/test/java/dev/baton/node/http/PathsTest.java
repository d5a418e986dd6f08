package dev.baton.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PathsTest {

    @Test
    void decodesPercentEscapesAsUtf8AndKeepsPlusAndSlash() {
        assertThat(Paths.decodePath("a/b+c%20d%C3%BC")).isEqualTo("a/b+c dü");
    }

    @Test
    void refusesMalformedEscapesAndUtf8() {
        assertThatThrownBy(() -> Paths.decodePath("a%2")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status).isEqualTo(400);
            assertThat(e.body.error()).isEqualTo("invalid_key");
        });
        assertThatThrownBy(() -> Paths.decodePath("a%zz")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> Paths.decodePath("%C3%28")).hasMessageContaining("not valid UTF-8");
    }

    @Test
    void validatesKeys() {
        assertThat(Paths.validKey("a/b")).isEqualTo("a/b");
        assertThatThrownBy(() -> Paths.validKey("")).hasMessageContaining("key is empty");
        assertThatThrownBy(() -> Paths.validKey("x".repeat(513))).hasMessageContaining("513 bytes");
        assertThat(Paths.validKey("x".repeat(512))).hasSize(512);
        assertThatThrownBy(() -> Paths.validKey("a\nb")).hasMessageContaining("control character 0xa");
    }

    @Test
    void parsesQueryAndNumbers() {
        Map<String, String> q = Paths.query("ifRevision=12&raw&prefix=a%2Fb");
        assertThat(q).containsEntry("ifRevision", "12").containsEntry("raw", "").containsEntry("prefix", "a/b");
        assertThat(Paths.nonNegativeLong(q, "ifRevision", -1)).isEqualTo(12);
        assertThat(Paths.nonNegativeLong(q, "missing", -1)).isEqualTo(-1);
        assertThat(Paths.flag(q, "raw")).isTrue();
        assertThatThrownBy(() -> Paths.nonNegativeLong(Map.of("ifRevision", "abc"), "ifRevision", -1))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status).isEqualTo(400);
                    assertThat(e.body.error()).isEqualTo("invalid_parameter");
                    assertThat(e.body.message()).contains("ifRevision='abc'");
                });
        assertThatThrownBy(() -> Paths.nonNegativeLong(Map.of("limit", "-3"), "limit", 1)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> Paths.flag(Map.of("raw", "maybe"), "raw")).isInstanceOf(ApiException.class);
    }
}
