package dev.baton.client.internal;

import static dev.baton.client.internal.RetryPolicy.Action.COMPLETE;
import static dev.baton.client.internal.RetryPolicy.Action.FOLLOW_REDIRECT;
import static dev.baton.client.internal.RetryPolicy.Action.RETRY;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    static Stream<Arguments> table() {
        return Stream.of(
                // outcome, write?, action, may have applied?
                Arguments.of(Answers.json(200, "{}"), true, COMPLETE, false),
                Arguments.of(Answers.notLeader("n2", "http://127.0.0.12:8080", 3), true, FOLLOW_REDIRECT, false),
                Arguments.of(Answers.error(503, "no_leader"), true, RETRY, false),
                Arguments.of(Answers.error(503, "overloaded"), true, RETRY, false),
                Arguments.of(Answers.error(429, "too_many_connections"), true, COMPLETE, false),
                Arguments.of(Answers.error(503, "timeout"), true, RETRY, true),
                Arguments.of(Answers.error(503, "timeout"), false, RETRY, false),
                Arguments.of(Answers.json(502, ""), true, RETRY, true),
                Arguments.of(Answers.error(500, "internal"), true, COMPLETE, true),
                Arguments.of(Answers.error(500, "internal"), false, COMPLETE, false),
                Arguments.of(Answers.error(409, "revision_mismatch"), true, COMPLETE, false),
                Arguments.of(Answers.error(410, "session_expired"), true, COMPLETE, false),
                Arguments.of(Answers.error(404, "key_not_found"), false, COMPLETE, false),
                Arguments.of(Answers.error(400, "invalid_key"), true, COMPLETE, false),
                Arguments.of(Answers.error(413, "value_too_large"), true, COMPLETE, false),
                Arguments.of(Answers.failed(Outcome.FailureKind.NOT_SENT), true, RETRY, false),
                Arguments.of(Answers.failed(Outcome.FailureKind.TIMED_OUT), true, RETRY, true),
                Arguments.of(Answers.failed(Outcome.FailureKind.TIMED_OUT), false, RETRY, false),
                Arguments.of(Answers.failed(Outcome.FailureKind.BROKEN), true, RETRY, true));
    }

    @ParameterizedTest(name = "[{index}] write={1} -> {2}, applied={3}")
    @MethodSource("table")
    void decisionTable(Outcome outcome, boolean write, RetryPolicy.Action action, boolean mayHaveApplied) {
        RetryPolicy.Decision decision = RetryPolicy.decide(outcome, write);

        assertThat(decision.action()).isEqualTo(action);
        assertThat(decision.mayHaveApplied()).isEqualTo(mayHaveApplied);
        assertThat(decision.reason()).isNotBlank();
    }

    @Test
    void staleReadsTryAnotherNodeInsteadOfFollowingARedirect() {
        assertThat(RetryPolicy.decideAnyNodeRead(Answers.notLeader("n2", "http://127.0.0.12:8080", 3)).action())
                .isEqualTo(RETRY);
        assertThat(RetryPolicy.decideAnyNodeRead(Answers.error(503, "no_leader")).action()).isEqualTo(RETRY);
        assertThat(RetryPolicy.decideAnyNodeRead(Answers.failed(Outcome.FailureKind.BROKEN)).action()).isEqualTo(RETRY);
        assertThat(RetryPolicy.decideAnyNodeRead(Answers.error(404, "key_not_found")).action()).isEqualTo(COMPLETE);
        assertThat(RetryPolicy.decideAnyNodeRead(Answers.json(200, "{}")).action()).isEqualTo(COMPLETE);
    }

    @Test
    void reasonQuotesErrorCodeAndMessage() {
        assertThat(RetryPolicy.decide(Answers.error(503, "no_leader"), false).reason()).isEqualTo("503 no_leader: m");
        assertThat(RetryPolicy.decide(Answers.json(502, "<html>"), false).reason()).isEqualTo("HTTP 502");
    }

    @Test
    void transportExceptionsAreClassifiedByHowFarTheyGot() {
        assertThat(Outcome.Failed.of(new CompletionException(new ConnectException())).kind())
                .isEqualTo(Outcome.FailureKind.NOT_SENT);
        assertThat(Outcome.Failed.of(new HttpConnectTimeoutException("x")).kind()).isEqualTo(Outcome.FailureKind.NOT_SENT);
        assertThat(Outcome.Failed.of(new HttpTimeoutException("x")).kind()).isEqualTo(Outcome.FailureKind.TIMED_OUT);
        assertThat(Outcome.Failed.of(new java.io.IOException("reset")).kind()).isEqualTo(Outcome.FailureKind.BROKEN);
    }

    @Test
    void redirectTargetPrefersTheBodysLeader() {
        Outcome.Answer answer = Answers.json(307,
                "{\"error\":\"not_leader\",\"leader\":{\"id\":\"n3\",\"url\":\"http://127.0.0.13:8080/\",\"term\":7}}",
                "Location", "http://127.0.0.99:8080/v1/kv/a");

        assertThat(RetryPolicy.redirectTarget(answer))
                .contains(new LeaderRef(URI.create("http://127.0.0.13:8080"), "n3", 7));
    }

    @Test
    void redirectTargetFallsBackToLocationHeader() {
        Outcome.Answer answer = Answers.json(307, "{\"error\":\"not_leader\",\"message\":\"no body leader\"}",
                "Location", "http://127.0.0.12:8080/v1/kv/a/b?ifRevision=2");

        assertThat(RetryPolicy.redirectTarget(answer))
                .contains(new LeaderRef(URI.create("http://127.0.0.12:8080"), null, 0));
    }

    @Test
    void redirectWithoutUsableTargetIsEmpty() {
        assertThat(RetryPolicy.redirectTarget(Answers.json(307, "not json"))).isEmpty();
        assertThat(RetryPolicy.redirectTarget(Answers.json(307, "{}", "Location", "/v1/kv/a"))).isEmpty();
        assertThat(RetryPolicy.redirectTarget(Answers.json(307,
                "{\"leader\":{\"id\":\"n2\",\"url\":\"bogus\",\"term\":1}}"))).isEmpty();
    }
}
