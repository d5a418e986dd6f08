package dev.baton.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatonClientBuilderTest {

    @Test
    void defaults() {
        try (BatonClient c = BatonClient.builder().seeds(List.of(URI.create("http://127.0.0.11:8080/"))).build()) {
            assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(c.deadline()).isEqualTo(Duration.ofSeconds(10));
            assertThat(c.clientId()).hasSize(36);
            assertThat(c.knownNodes()).containsExactly(URI.create("http://127.0.0.11:8080"));
        }
    }

    @Test
    void seedsAreRequiredAndValidated() {
        assertThatThrownBy(() -> BatonClient.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("seeds are required");
        assertThatThrownBy(() -> BatonClient.builder().seeds("http://ok:1,nonsense"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nonsense'");
        assertThatThrownBy(() -> BatonClient.builder().seeds(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durationsMustBePositiveAndClientIdPrintable() {
        assertThatThrownBy(() -> BatonClient.builder().requestTimeout(Duration.ZERO))
                .hasMessageContaining("requestTimeout must be positive");
        assertThatThrownBy(() -> BatonClient.builder().deadline(Duration.ofSeconds(-1)))
                .hasMessageContaining("deadline must be positive");
        assertThatThrownBy(() -> BatonClient.builder().clientId("a b"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nodeStatusResultHoldsExactlyOneOfStatusAndError() {
        URI n = URI.create("http://a:1");
        assertThatThrownBy(() -> new NodeStatusResult(n, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(NodeStatusResult.failed(n, new BatonException("x")).statusIfAnswered()).isEmpty();
    }
}
