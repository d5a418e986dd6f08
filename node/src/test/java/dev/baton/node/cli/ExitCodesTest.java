package dev.baton.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.client.BatonException;
import dev.baton.client.InvalidRequestException;
import dev.baton.client.NoLeaderException;
import dev.baton.client.OutcomeUnknownException;
import dev.baton.client.RevisionMismatchException;
import dev.baton.client.ValueTooLargeException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExitCodesTest {

    private static final URI N1 = URI.create("http://127.0.0.11:8080");

    @Test
    void mapsClientErrorsToDocumentedCodes() {
        assertThat(ExitCodes.forException(new NoLeaderException("none", List.of()))).isEqualTo(3);
        assertThat(ExitCodes.forException(new RevisionMismatchException("k", 1, 2, N1))).isEqualTo(5);
        assertThat(ExitCodes.forException(new OutcomeUnknownException("put", "k", "lost", List.of(), null))).isEqualTo(6);
        assertThat(ExitCodes.forException(new InvalidRequestException("invalid_key", "bad", N1))).isEqualTo(2);
        assertThat(ExitCodes.forException(new ValueTooLargeException("k", 9, N1, "too big"))).isEqualTo(1);
        assertThat(ExitCodes.forException(new BatonException("odd answer"))).isEqualTo(1);
        assertThat(ExitCodes.forException(new java.io.IOException("no such file"))).isEqualTo(1);
    }
}
