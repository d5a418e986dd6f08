package dev.baton.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallerTest {

    @Test
    void repeatedAttemptsAreCountedNotRepeated() {
        List<String> attempts = new ArrayList<>();
        Caller.note(attempts, "http://a:1: connection refused");
        Caller.note(attempts, "http://b:1: 503 no_leader: m");
        Caller.note(attempts, "http://a:1: connection refused");
        Caller.note(attempts, "http://a:1: connection refused");

        assertThat(attempts).containsExactly("http://a:1: connection refused (3x)", "http://b:1: 503 no_leader: m");
    }

    @Test
    void keepsOnlyTheMostRecentDistinctAttempts() {
        List<String> attempts = new ArrayList<>();
        for (int i = 0; i < Caller.MAX_ATTEMPTS_REPORTED + 3; i++) {
            Caller.note(attempts, "http://n" + i + ":1: connection refused");
        }

        assertThat(attempts).hasSize(Caller.MAX_ATTEMPTS_REPORTED).first().asString().startsWith("http://n3:1");
    }
}
