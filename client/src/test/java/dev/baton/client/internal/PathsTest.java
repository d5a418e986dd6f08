package dev.baton.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.client.InvalidRequestException;
import org.junit.jupiter.api.Test;

class PathsTest {

    @Test
    void keepsSlashesAndUnreservedCharactersInKeys() {
        assertThat(Paths.kv("config/db-1_a.b~c")).isEqualTo("/v1/kv/config/db-1_a.b~c");
    }

    @Test
    void percentEncodesEverythingElseAsUtf8() {
        assertThat(Paths.kv("a b?c#d%e+f")).isEqualTo("/v1/kv/a%20b%3Fc%23d%25e%2Bf");
        assertThat(Paths.kv("é")).isEqualTo("/v1/kv/%C3%A9");
    }

    @Test
    void listEncodesPrefixIncludingSlashAndOmitsEmptyPrefix() {
        assertThat(Paths.list("config/a&b")).isEqualTo("/v1/kv?prefix=config%2Fa%26b");
        assertThat(Paths.list("")).isEqualTo("/v1/kv");
    }

    @Test
    void emptyKeyIsRejectedBeforeSending() {
        assertThatThrownBy(() -> Paths.kv(""))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("invalid_key");
                    assertThat(e.node()).isNull();
                });
    }
}
