package dev.baton.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.client.internal.Answers;
import dev.baton.client.internal.FakeNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bearer tokens: sent on every request; a refusal is a typed error at once, not a retry loop. */
class BatonClientTokenTest {

    private static final String N1 = "http://127.0.0.11:8080";
    private static final String WRITE_OK =
            "{\"key\":\"k\",\"revision\":9,\"previousRevision\":4,\"existed\":true,\"term\":6}";

    private final FakeNetwork net = new FakeNetwork();
    private BatonClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    private BatonClient client(String token) {
        BatonClient.Builder b = ScriptedClient.builder(N1);
        if (token != null) {
            b.token(token);
        }
        client = ScriptedClient.on(net, b);
        return client;
    }

    @Test
    void everyRequestCarriesTheToken() {
        net.node(N1, r -> r.uri().getPath().equals("/v1/leader") ? FakeNetwork.leader("n1", N1, 6)
                : r.uri().getPath().equals("/v1/sessions") ? Answers.json(200, "{\"session\":\"1-00000000000000c1\",\"expiresAfterMs\":3600000}")
                : Answers.json(200, WRITE_OK));
        client("s3cret").put("k", "v");
        assertThat(net.requests()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.headers().firstValue("Authorization")).hasValue("Bearer s3cret"));
    }

    @Test
    void refusedTokenFailsAtOnceWithTheNodesMessage() {
        net.node(N1, r -> Answers.json(401, "{\"error\":\"unauthorized\",\"message\":\"the bearer token is not valid\"}"));
        assertThatThrownBy(() -> client("bad").put("k", "v"))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("401 unauthorized: the bearer token is not valid")
                .satisfies(e -> assertThat(((AccessDeniedException) e).status()).isEqualTo(401));
        assertThat(net.time.sleeps).as("no backoff: the same token would be refused again").isEmpty();
    }

    @Test
    void forbiddenFromTheActiveIsTyped() {
        net.node(N1, r -> r.uri().getPath().equals("/v1/leader") ? FakeNetwork.leader("n1", N1, 6)
                : Answers.json(403, "{\"error\":\"forbidden\",\"message\":\"token 'r' has role read; this request needs role write\"}"));
        assertThatThrownBy(() -> client("r").delete("k"))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("needs role write");
    }

    @Test
    void tokenIsValidatedAndNeverPrinted() {
        assertThatThrownBy(() -> BatonClient.builder().token(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatonClient.builder().token("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new dev.baton.client.internal.BearerToken("xyz").toString()).doesNotContain("xyz");
    }
}
