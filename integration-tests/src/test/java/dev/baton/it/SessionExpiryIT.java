package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.SessionInfo;
import dev.baton.client.wire.WriteResult;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Session expiry by log time and the session cap, on three real node JVMs started with {@code
 * --session-timeout-ms 1000 --max-sessions 3}: a session unused for longer than the timeout, or
 * evicted by newer ones, has its retried write refused with 410 session_expired, never applied.
 */
@ExtendWith(NodeLogsOnFailure.class)
class SessionExpiryIT {

    private static final long TIMEOUT_MS = 1_000;
    private static TestCluster cluster;
    private static Http http;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start("SessionExpiryIT", 3, "--session-timeout-ms", Long.toString(TIMEOUT_MS), "--max-sessions", "3");
        http = cluster.http();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Http.Response put(String url, String value, String session, long seq) {
        return http.putInSession(url, value, session, seq, 0); // 0: the same as no Baton-Acked-Below
    }

    @Test
    void aSessionUnusedForLongerThanTheTimeoutIsExpiredAndItsRetryRefused() {
        TestCluster.Active active = cluster.awaitActive();
        String url = active.url() + Http.kvPath("expiry/idle");
        Http.Response opened = http.method("POST", active.url() + "/v1/sessions", new byte[0]);
        SessionInfo session = opened.json(SessionInfo.class);
        assertThat(session.expiresAfterMs()).isEqualTo(TIMEOUT_MS);
        Http.Response first = put(url, "v", session.session(), 1);
        assertThat(first.status()).as("%s", first).isEqualTo(200);
        long revision = first.json(WriteResult.class).revision();
        long usedAt = System.currentTimeMillis();

        // log time moves only with stamped commands: another (session-less) write after the timeout moves it past
        await().pollInterval(Duration.ofMillis(100)).atMost(Duration.ofSeconds(30))
                .until(() -> System.currentTimeMillis() - usedAt > 2 * TIMEOUT_MS);
        assertThat(http.put(active.url() + Http.kvPath("expiry/tick"), "t").status()).isEqualTo(200);
        long globalRevision = cluster.statusOf(active.node()).revision();

        Http.Response retry = put(url, "v", session.session(), 1);
        assertThat(retry.status()).as("%s", retry).isEqualTo(410);
        assertThat(retry.error().error()).isEqualTo("session_expired");
        assertThat(http.get(url).json(KvEntry.class).revision()).isEqualTo(revision);
        assertThat(cluster.statusOf(active.node()).revision()).isEqualTo(globalRevision);
    }

    @Test
    void openingBeyondTheCapEvictsTheLeastRecentlyUsedSessionWhoseRetryIsThenRefused() {
        TestCluster.Active active = cluster.awaitActive();
        String url = active.url() + Http.kvPath("expiry/capped");
        String early = http.openSession(active.url());
        Http.Response first = put(url, "v", early, 1);
        assertThat(first.status()).as("%s", first).isEqualTo(200);
        long revision = first.json(WriteResult.class).revision();
        for (int i = 0; i < 3; i++) {
            http.openSession(active.url());
        }
        long globalRevision = cluster.statusOf(active.node()).revision();

        Http.Response retry = put(url, "v", early, 1);
        assertThat(retry.status()).as("%s", retry).isEqualTo(410);
        assertThat(retry.error().error()).isEqualTo("session_expired");
        assertThat(http.get(url).json(KvEntry.class).revision()).isEqualTo(revision);
        assertThat(cluster.statusOf(active.node()).revision()).isEqualTo(globalRevision);
    }
}
