package dev.baton.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ClientOptionsTest {

    @Test
    void parsesDurationsWithUnits() {
        assertThat(ClientOptions.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(ClientOptions.parseDuration("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(ClientOptions.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(ClientOptions.parseDuration("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(ClientOptions.parseDuration(" 3 ")).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void rejectsNonPositiveOrMalformedDurations() {
        for (String bad : new String[] {"0", "-1s", "abc", "s", "NaNs", "1h"}) {
            assertThatThrownBy(() -> ClientOptions.parseDuration(bad))
                    .as(bad).isInstanceOf(TypeConversionException.class).hasMessageContaining(bad);
        }
    }

    @Test
    void seedsConverterNamesTheBadUrl() {
        ClientOptions.SeedsConverter converter = new ClientOptions.SeedsConverter();

        assertThat(converter.convert("http://a:1, http://b:2")).isEqualTo("http://a:1, http://b:2");
        assertThatThrownBy(() -> converter.convert("http://a:1,b:2"))
                .isInstanceOf(TypeConversionException.class).hasMessageContaining("'b:2'");
    }

    @Test
    void defaultSeedsAreTheThreeLocalNodes() {
        assertThat(ClientOptions.DEFAULT_SEEDS.split(","))
                .containsExactly("http://127.0.0.11:8080", "http://127.0.0.12:8080", "http://127.0.0.13:8080");
    }
}
