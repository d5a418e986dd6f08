package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.client.BatonClient;
import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.SessionInfo;
import dev.baton.client.wire.WriteResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exactly-once that never lies, on three real node JVMs with the default session limits (1 hour,
 * 10,000 sessions). The finding it guards against: after 10,016 writes from distinct client ids the
 * node had forgotten an early client, and that client's retried write (same id, sequence 1) was
 * applied a second time. Now the cluster issues session ids, evicts the least recently used
 * beyond the cap, and refuses the evicted session's retry with 410 session_expired.
 */
@ExtendWith(NodeLogsOnFailure.class)
class SessionsIT {

    private static final int DEFAULT_MAX_SESSIONS = 10_000;
    private static TestCluster cluster;
    private static Http http;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start("SessionsIT", 3);
        http = cluster.http();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Http.Response put(String url, String value, String session, long seq) {
        return http.putInSession(url, value, session, seq, seq);
    }

    @Test
    void aRetriedWriteOfASessionEvictedByTenThousandOthersIsRefusedNotAppliedAgain() throws Exception {
        TestCluster.Active active = cluster.awaitActive();
        String url = active.url() + Http.kvPath("sessions/early");
        String early = http.openSession(active.url());
        Http.Response first = put(url, "early", early, 1);
        assertThat(first.status()).as("%s", first).isEqualTo(200);
        long revision = first.json(WriteResult.class).revision();
        assertThat(put(url, "early", early, 1).text()).as("a retry while the session lives: the first answer")
                .isEqualTo(first.text());

        try (BatonClient client = TestClients.of(cluster)) {
            WriteResult before = client.put("sessions/client", "before");
            String clientSession = client.sessionId().orElseThrow();

            openSessions(active.url(), DEFAULT_MAX_SESSIONS + 1);

            long globalRevision = cluster.statusOf(active.node()).revision();
            Http.Response retry = put(url, "early", early, 1);
            assertThat(retry.status()).as("%s", retry).isEqualTo(410);
            assertThat(retry.error().error()).isEqualTo("session_expired");
            assertThat(retry.error().message()).contains(early).contains("not applied");
            assertThat(http.get(url).json(KvEntry.class)).isEqualTo(new KvEntry("sessions/early", "early", revision));
            assertThat(cluster.statusOf(active.node()).revision()).as("nothing applied").isEqualTo(globalRevision);

            // the client's session was evicted too: its next write opens a new one and is applied once
            WriteResult after = client.put("sessions/client", "after");
            assertThat(client.sessionId()).isPresent().get().isNotEqualTo(clientSession);
            assertThat(after.previousRevision()).isEqualTo(before.revision());
            assertThat(cluster.statusOf(active.node()).revision()).isEqualTo(globalRevision + 1);
        }
        System.out.printf("[it] SessionsIT: after %d other sessions, the retry of session %s seq 1 was refused"
                + " with 410 session_expired; key revision stayed %d%n", DEFAULT_MAX_SESSIONS + 1, early, revision);
    }

    @Test
    void plainWritesStillApplyAndAClientChosenIdIsRefused() {
        TestCluster.Active active = cluster.awaitActive();
        String url = active.url() + Http.kvPath("sessions/plain");
        assertThat(http.put(url, "a").status()).isEqualTo(200);
        assertThat(http.put(url, "b").status()).as("no session headers: applied each time, as before").isEqualTo(200);
        long revision = http.get(url).json(KvEntry.class).revision();

        Http.Response chosen = put(url, "c", "my-own-client-id", 1);
        assertThat(chosen.status()).as("%s", chosen).isEqualTo(410);
        assertThat(chosen.error().error()).isEqualTo("session_expired");
        assertThat(chosen.error().message()).contains("not a session this cluster issued");
        assertThat(http.get(url).json(KvEntry.class)).isEqualTo(new KvEntry("sessions/plain", "b", revision));

        Http.Response wrongMethod = http.get(active.url() + "/v1/sessions");
        assertThat(wrongMethod.status()).isEqualTo(405);
        Http.Response opened = http.method("POST", active.url() + "/v1/sessions", new byte[0]);
        assertThat(opened.json(SessionInfo.class).expiresAfterMs()).isEqualTo(3_600_000);
        NodeProcess standby = cluster.nodes().stream().filter(n -> !n.id().equals(active.id())).findFirst().orElseThrow();
        Http.Response redirected = http.method("POST", standby.url() + "/v1/sessions", new byte[0]);
        assertThat(redirected.status()).as("opened on the ACTIVE only, like every write").isEqualTo(307);
        assertThat(redirected.header("Location")).contains(active.url() + "/v1/sessions");
    }

    /** Opens {@code n} sessions on the ACTIVE, many in flight at once; a 503 (leadership hiccup) is asked again. */
    private static void openSessions(String activeUrl, int n) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Semaphore inFlight = new Semaphore(32);
        AtomicInteger failures = new AtomicInteger();
        List<CompletableFuture<Void>> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            inFlight.acquire();
            all.add(openOne(client, activeUrl, 5, failures).whenComplete((v, e) -> inFlight.release()));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(5, TimeUnit.MINUTES);
        assertThat(failures.get()).as("sessions that could not be opened").isZero();
    }

    private static CompletableFuture<Void> openOne(HttpClient client, String activeUrl, int tries, AtomicInteger failures) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(activeUrl + "/v1/sessions"))
                .timeout(Duration.ofSeconds(15)).POST(HttpRequest.BodyPublishers.noBody()).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((r, e) -> r != null && r.statusCode() == 200)
                .thenCompose(ok -> {
                    if (ok) {
                        return CompletableFuture.completedFuture(null);
                    }
                    if (tries <= 1) {
                        failures.incrementAndGet();
                        return CompletableFuture.completedFuture(null);
                    }
                    return openOne(client, activeUrl, tries - 1, failures);
                });
    }
}
