package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.WriteResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * De-duplication on the wire, on three real node JVMs (issue 4): a write retried by hand with the
 * same session id (opened with {@code POST /v1/sessions}) and sequence number is applied once and answered with its first answer (puts,
 * compare-and-sets, conflicts), also when the retry reaches a new ACTIVE after a {@code kill -9}:
 * the de-duplication table is replicated state.
 */
@ExtendWith(NodeLogsOnFailure.class)
class RetriedWriteIT {

    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start("RetriedWriteIT", 3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static final HttpClient RAW = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /** A PUT with de-duplication headers, as the client sends it; {@code ackedBelow} 0 = no header. */
    private static Http.Response put(String url, String clientId, long seq, long ackedBelow, String value)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(15))
                .header("Baton-Client-Id", clientId)
                .header("Baton-Request-Seq", Long.toString(seq))
                .PUT(HttpRequest.BodyPublishers.ofString(value));
        if (ackedBelow > 0) {
            b.header("Baton-Acked-Below", Long.toString(ackedBelow));
        }
        HttpResponse<byte[]> r = RAW.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Http.Response("PUT", url, r.statusCode(), r.headers(), r.body());
    }

    @Test
    void aRetriedWriteIsAppliedOnceAndAnsweredWithTheFirstAnswerAlsoAfterAFailover() throws Exception {
        TestCluster.Active active = cluster.awaitActive();
        String base = active.url() + Http.kvPath("retried/k");
        String id = cluster.http().openSession(active.url());

        Http.Response first = put(base, id, 1, 1, "first");
        Http.Response retry = put(base, id, 1, 1, "second"); // lost answer: same id and seq, sent again
        assertThat(first.status()).as("%s", first).isEqualTo(200);
        assertThat(retry.status()).as("%s", retry).isEqualTo(200);
        assertThat(retry.text()).isEqualTo(first.text());
        long rev1 = first.json(WriteResult.class).revision();
        assertThat(cluster.http().get(base).json(KvEntry.class)).isEqualTo(new KvEntry("retried/k", "first", rev1));
        long revisionAfter = cluster.statusOf(active.node()).revision();

        // A compare-and-set retried after it applied returns its success, not a conflict with itself.
        Http.Response cas = put(base + "?ifRevision=" + rev1, id, 2, 2, "cas");
        Http.Response casRetry = put(base + "?ifRevision=" + rev1, id, 2, 2, "cas");
        assertThat(cas.status()).as("%s", cas).isEqualTo(200);
        assertThat(casRetry.text()).isEqualTo(cas.text());
        // A conflict is answered the same way on retry, even after the key moved on.
        Http.Response conflict = put(base + "?ifRevision=" + rev1, id, 3, 3, "late");
        assertThat(conflict.status()).as("%s", conflict).isEqualTo(409);
        long rev2 = cas.json(WriteResult.class).revision();
        Http.Response moved = put(base + "?ifRevision=" + rev2, id, 4, 3, "moved"); // seq 3 still "in flight"
        assertThat(moved.status()).as("%s", moved).isEqualTo(200);
        Http.Response conflictRetry = put(base + "?ifRevision=" + rev1, id, 3, 3, "late");
        assertThat(conflictRetry.status()).isEqualTo(409);
        assertThat(conflictRetry.text()).isEqualTo(conflict.text());
        assertThat(cluster.statusOf(active.node()).revision()).as("cas + moved applied, nothing else")
                .isEqualTo(revisionAfter + 2);

        // Below the acknowledged mark: refused, nothing applied.
        Http.Response old = put(base, id, 1, 5, "too old");
        assertThat(old.status()).as("%s", old).isEqualTo(400);
        assertThat(old.error().error()).isEqualTo("invalid_parameter");

        // Sent to the active, answer "lost", the active crashes; the retry goes to the new active and
        // gets the first answer: the de-duplication table is replicated state.
        Http.Response beforeCrash = put(base, id, 5, 5, "before crash");
        assertThat(beforeCrash.status()).isEqualTo(200);
        long revisionBeforeCrash = cluster.statusOf(active.node()).revision();
        active.node().kill9();
        TestCluster.Active next = cluster.awaitActive(active.term());
        Http.Response afterCrash = put(next.url() + Http.kvPath("retried/k"), id, 5, 5, "after crash");
        assertThat(afterCrash.status()).as("%s", afterCrash).isEqualTo(200);
        WriteResult original = beforeCrash.json(WriteResult.class);
        WriteResult replayed = afterCrash.json(WriteResult.class);
        // the spec promises the same revision; the term of the replay is reported as is (see below)
        assertThat(replayed).usingRecursiveComparison().ignoringFields("term").isEqualTo(original);
        if (replayed.term() != original.term()) {
            System.out.printf("[it] RetriedWriteIT: NOTE replayed answer after failover carries term %d, the first one %d%n",
                    replayed.term(), original.term());
        }
        assertThat(cluster.http().get(next.url() + Http.kvPath("retried/k")).json(KvEntry.class).value())
                .isEqualTo("before crash");
        assertThat(cluster.statusOf(next.node()).revision()).isEqualTo(revisionBeforeCrash);
        System.out.printf("[it] RetriedWriteIT: retries of seq 1, 2, 3 and (across the failover %s -> %s) 5 "
                + "answered with their first answers; applied once each%n", active.id(), next.id());
    }
}
