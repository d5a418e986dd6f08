package dev.baton.node.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.client.wire.ErrorCodes;
import org.junit.jupiter.api.Test;

class ExchangesTest {

    @Test
    void noOrSmallDeclaredLengthPasses() {
        assertThatCode(() -> Exchanges.checkDeclaredLength(null, 10)).doesNotThrowAnyException();
        assertThatCode(() -> Exchanges.checkDeclaredLength("10", 10)).doesNotThrowAnyException();
        assertThatCode(() -> Exchanges.checkDeclaredLength(" 0 ", 10)).doesNotThrowAnyException();
    }

    @Test
    void declaredLengthAboveTheLimitIs413() {
        assertThatThrownBy(() -> Exchanges.checkDeclaredLength("11", 10))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status).isEqualTo(413);
                    assertThat(e.body.error()).isEqualTo(ErrorCodes.VALUE_TOO_LARGE);
                    assertThat(e.body.message()).contains("more than 10", "--max-value-bytes");
                });
    }

    @Test
    void declaredLengthThatIsNoNumberIs400() {
        assertThatThrownBy(() -> Exchanges.checkDeclaredLength("ten", 10))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status).isEqualTo(400);
                    assertThat(e.body.error()).isEqualTo(ErrorCodes.INVALID_PARAMETER);
                });
    }
}
