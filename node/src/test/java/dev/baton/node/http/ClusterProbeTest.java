package dev.baton.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.client.wire.MemberInfo;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ClusterProbeTest {

    private static final MemberInfo N2 = new MemberInfo("n2", "http://127.0.0.22:8080", "127.0.0.22:7800", true, null);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anAnswerIsPassedOnAsSentWithFieldsThisNodeDoesNotKnow() {
        ClusterProbe.Member m = ClusterProbe.toMember(N2, 200,
                utf8("{\"id\":\"n2\",\"role\":\"STANDBY\",\"term\":4,\"lag\":{\"entries\":3},\"lease\":{\"remainingMs\":800}}"), null);
        assertThat(m.reachable()).isTrue();
        assertThat(m.error()).isNull();
        assertThat(m.httpStatus()).isEqualTo(200);
        assertThat(m.status().path("role").asText()).isEqualTo("STANDBY");
        assertThat(m.status().path("lag").path("entries").asInt()).isEqualTo(3);
        assertThat(m.status().path("lease").path("remainingMs").asInt()).isEqualTo(800);
    }

    @Test
    void noAnswerInTimeIsUnreachableWithTheReason() {
        ClusterProbe.Member m = ClusterProbe.toMember(N2, 0, null,
                new CompletionException(new HttpTimeoutException("request timed out")));
        assertThat(m.reachable()).isFalse();
        assertThat(m.status()).isNull();
        assertThat(m.httpStatus()).isNull();
        assertThat(m.error()).isEqualTo("HttpTimeoutException: request timed out");
        assertThat(ClusterProbe.toMember(N2, 0, null, new ConnectException()).error()).isEqualTo("ConnectException");
    }

    @Test
    void aRefusalIsReachableWithoutStatusAndSaysWhy() {
        ClusterProbe.Member m = ClusterProbe.toMember(N2, 401,
                utf8("{\"error\":\"unauthorized\",\"message\":\"the bearer token is not valid\"}"), null);
        assertThat(m.reachable()).isTrue();
        assertThat(m.status()).isNull();
        assertThat(m.httpStatus()).isEqualTo(401);
        assertThat(m.error()).isEqualTo("unauthorized: the bearer token is not valid");
    }

    @Test
    void anAnswerThatIsNotJsonGivesNoStatus() {
        ClusterProbe.Member m = ClusterProbe.toMember(N2, 200, utf8("<html>proxy</html>"), null);
        assertThat(m.reachable()).isTrue();
        assertThat(m.status()).isNull();
        assertThat(m.error()).isEqualTo("answer is not JSON");
        assertThat(ClusterProbe.toMember(N2, 200, new byte[0], null).error()).isEqualTo("answer is not JSON");
    }
}
