package dev.baton.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.client.internal.Answers;
import dev.baton.client.internal.FakeNetwork;
import dev.baton.client.internal.Outcome;
import dev.baton.client.wire.WriteResult;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions the cluster registers (Raft dissertation §6.3), against a scripted node that plays the
 * state machine's part: it issues ids, forgets the ones a test expires, and refuses their writes
 * with 410 session_expired.
 */
class BatonClientSessionsTest {

    private static final String N1 = "http://127.0.0.11:8080";
    private static final String WRITE_OK = "{\"key\":\"k\",\"revision\":9,\"previousRevision\":4,\"existed\":true,\"term\":6}";

    private final FakeNetwork net = new FakeNetwork();
    private final AtomicInteger opened = new AtomicInteger();
    private final Set<String> live = new HashSet<>();
    /** Per write request: what the node does; default: apply it. */
    private final List<Outcome> script = new ArrayList<>();
    private BatonClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    private BatonClient client() {
        net.node(N1, this::answer);
        client = ScriptedClient.on(net, ScriptedClient.builder(N1));
        return client;
    }

    private synchronized Outcome answer(HttpRequest r) {
        String path = r.uri().getPath();
        if (path.equals("/v1/leader")) {
            return FakeNetwork.leader("n1", N1, 5);
        }
        if (path.equals("/v1/status")) {
            return Answers.json(404, "{}");
        }
        if (path.equals("/v1/sessions")) {
            String id = opened.incrementAndGet() + "-00000000000000aa";
            live.add(id);
            return Answers.json(200, "{\"session\":\"" + id + "\",\"expiresAfterMs\":3600000}");
        }
        if (r.method().equals("GET")) {
            return Answers.error(404, "key_not_found");
        }
        if (!script.isEmpty()) {
            return script.remove(0);
        }
        String session = r.headers().firstValue("Baton-Client-Id").orElse("");
        return live.contains(session) ? Answers.json(200, WRITE_OK) : Answers.error(410, "session_expired");
    }

    private synchronized void expireAll() {
        live.clear();
    }

    /** The writes sent, as "session seq". */
    private List<String> writes() {
        return net.requests("/v1/kv").stream().filter(r -> !r.method().equals("GET"))
                .map(r -> r.headers().firstValue("Baton-Client-Id").orElse("-") + " " + r.headers().firstValue("Baton-Request-Seq").orElse("-"))
                .toList();
    }

    @Test
    void opensOneSessionLazilyBeforeTheFirstWriteAndKeepsIt() {
        client();
        client.get("k");
        assertThat(net.requests("/v1/sessions")).as("reads need no session").isEmpty();
        assertThat(client.sessionId()).isEmpty();

        client.put("k", "a");
        client.delete("k");

        List<HttpRequest> opens = net.requests("/v1/sessions");
        assertThat(opens).hasSize(1);
        assertThat(opens.get(0).method()).isEqualTo("POST");
        assertThat(opens.get(0).uri().getQuery()).isEqualTo("client=c-1");
        assertThat(writes()).containsExactly("1-00000000000000aa 1", "1-00000000000000aa 2");
        assertThat(client.sessionId()).contains("1-00000000000000aa");
    }

    @Test
    void aWriteRefusedForAnExpiredSessionBeforeAnyAttemptMayHaveAppliedIsSentAgainInANewSession() {
        client();
        client.put("k", "a");
        expireAll(); // idle past the timeout, or evicted

        WriteResult result = client.put("k", "b");

        assertThat(result.revision()).isEqualTo(9);
        assertThat(writes()).as("the refusal proves seq 2 was not applied: resent as seq 1 of a new session")
                .containsExactly("1-00000000000000aa 1", "1-00000000000000aa 2", "2-00000000000000aa 1");
        assertThat(client.sessionId()).contains("2-00000000000000aa");
    }

    @Test
    void aRetryRefusedForAnExpiredSessionAfterAnAttemptThatMayHaveAppliedIsAnUnknownOutcome() {
        client();
        client.put("k", "a");
        synchronized (this) {
            script.add(Answers.failed(Outcome.FailureKind.TIMED_OUT)); // maybe applied, answer lost
            script.add(Answers.error(410, "session_expired")); // the retry: the session is gone meanwhile
        }

        assertThatThrownBy(() -> client.put("k", "b"))
                .isInstanceOfSatisfying(OutcomeUnknownException.class, e -> assertThat(e.getMessage())
                        .contains("unknown outcome").contains("session 1-00000000000000aa expired"));
        assertThat(writes()).as("not sent a third time: it may have been applied")
                .containsExactly("1-00000000000000aa 1", "1-00000000000000aa 2", "1-00000000000000aa 2");

        client.put("k", "c");
        assertThat(writes()).as("a new session for later writes, numbers from 1 again")
                .endsWith("2-00000000000000aa 1");
    }

    @Test
    void sessionsThatExpireOverAndOverEndTheWriteRefusedNotApplied() {
        client();
        synchronized (this) {
            script.add(Answers.error(410, "session_expired"));
            script.add(Answers.error(410, "session_expired"));
        }

        assertThatThrownBy(() -> client.put("k", "a"))
                .isInstanceOf(BatonException.class)
                .isNotInstanceOf(OutcomeUnknownException.class)
                .hasMessageContaining("refused (not applied)");
        assertThat(net.requests("/v1/sessions")).hasSize(2);
    }

    @Test
    void aWriteWhoseSessionCannotBeOpenedWasNotSentAndSaysSo() {
        net.node(N1, r -> r.uri().getPath().equals("/v1/leader") ? FakeNetwork.leader("n1", N1, 5)
                : r.uri().getPath().equals("/v1/sessions") ? Answers.error(503, "no_leader") : Answers.json(200, WRITE_OK));
        client = new BatonClient(BatonClient.builder().seeds(N1).deadline(Duration.ofSeconds(2)), net, net.time);

        assertThatThrownBy(() -> client.put("k", "a"))
                .isInstanceOf(NoLeaderException.class)
                .hasMessageContaining("put (opening a session) of key 'k' failed");
        assertThat(writes()).isEmpty();
    }

    @Test
    void ackedBelowCountsInTheWritesOwnSession() {
        client();
        client.put("k", "a");
        client.put("k", "b");
        expireAll();
        client.put("k", "c");

        assertThat(net.requests("/v1/kv").stream().map(r -> r.headers().firstValue("Baton-Acked-Below").orElseThrow()))
                .containsExactly("1", "2", "3", "1");
    }
}
