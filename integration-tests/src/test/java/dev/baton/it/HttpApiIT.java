package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.client.BatonClient;
import dev.baton.client.wire.ErrorBody;
import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.LeaderInfo;
import dev.baton.client.wire.MemberInfo;
import dev.baton.client.wire.NodeStatus;
import dev.baton.client.wire.WriteResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP contract of docs/http-api.md against a real 3-node cluster started with
 * {@code --max-value-bytes 1024}: answers, error codes, redirects, health, and that a rejected
 * request changes nothing.
 */
@ExtendWith(NodeLogsOnFailure.class)
class HttpApiIT {

    private static final int MAX_VALUE_BYTES = 1024;
    private static TestCluster cluster;
    private static Http http;
    private TestCluster.Active active;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start("HttpApiIT", 3, "--max-value-bytes", Integer.toString(MAX_VALUE_BYTES));
        http = cluster.http();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void findActive() {
        active = cluster.awaitActive();
    }

    // ---- cluster endpoints ----------------------------------------------------------------------

    @Test
    void everyNodeReportsStatusAndTheSameLeader() {
        for (NodeProcess n : cluster.nodes()) {
            NodeStatus s = cluster.statusOf(n);
            assertThat(s.id()).isEqualTo(n.id());
            assertThat(s.url()).isEqualTo(n.url());
            assertThat(s.role()).isEqualTo(n == active.node() ? "ACTIVE" : "STANDBY");
            assertThat(s.term()).isEqualTo(active.term());
            assertThat(s.leader()).isEqualTo(new LeaderInfo(active.id(), active.url(), active.term()));
            assertThat(s.appliedIndex()).isLessThanOrEqualTo(s.commitIndex());
            assertThat(s.members()).extracting(MemberInfo::id).containsExactlyInAnyOrder("n1", "n2", "n3");

            Http.Response leader = http.get(n.url() + "/v1/leader");
            assertThat(leader.status()).as("%s", leader).isEqualTo(200);
            assertThat(leader.json(LeaderInfo.class)).isEqualTo(new LeaderInfo(active.id(), active.url(), active.term()));
        }
    }

    @Test
    void healthEndpointsTellTheActiveFromTheStandbys() {
        int activeCount = 0;
        for (NodeProcess n : cluster.nodes()) {
            boolean isActive = n == active.node();
            Http.Response a = http.get(n.url() + "/health/active");
            Http.Response s = http.get(n.url() + "/health/standby");
            Http.Response l = http.get(n.url() + "/health/live");
            assertThat(a.status()).as("%s", a).isEqualTo(isActive ? 200 : 503);
            assertThat(s.status()).as("%s", s).isEqualTo(isActive ? 503 : 200);
            assertThat(l.status()).as("%s", l).isEqualTo(200);
            if (!isActive) {
                assertThat(a.tree().path("role").asText()).isEqualTo("STANDBY");
            }
            activeCount += a.status() == 200 ? 1 : 0;
        }
        assertThat(activeCount).as("nodes answering 200 on /health/active").isEqualTo(1);
    }

    // ---- key-value happy paths -----------------------------------------------------------------

    @Test
    void putGetDeleteRoundTrip() {
        String url = active.url() + Http.kvPath("api/round-trip");
        Http.Response put = http.put(url, "hello \u00e9\u4e16");
        assertThat(put.status()).as("%s", put).isEqualTo(200);
        WriteResult first = put.json(WriteResult.class);
        assertThat(first.key()).isEqualTo("api/round-trip");
        assertThat(first.existed()).isFalse();
        assertThat(first.previousRevision()).isZero();
        assertThat(first.term()).isEqualTo(active.term());

        Http.Response get = http.get(url);
        assertThat(get.status()).as("%s", get).isEqualTo(200);
        assertThat(get.json(KvEntry.class)).isEqualTo(new KvEntry("api/round-trip", "hello \u00e9\u4e16", first.revision()));

        WriteResult second = http.put(url, "again").json(WriteResult.class);
        assertThat(second.existed()).isTrue();
        assertThat(second.previousRevision()).isEqualTo(first.revision());
        assertThat(second.revision()).isGreaterThan(first.revision());

        Http.Response delete = http.delete(url);
        assertThat(delete.status()).as("%s", delete).isEqualTo(200);
        assertThat(delete.json(WriteResult.class).existed()).isTrue();
        assertNotFound(url);

        Http.Response deleteAgain = http.delete(url);
        assertThat(deleteAgain.status()).as("%s", deleteAgain).isEqualTo(200);
        assertThat(deleteAgain.json(WriteResult.class).existed()).isFalse();
    }

    @Test
    void rawValuesAreTheExactBytes() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        String url = active.url() + Http.kvPath("api/raw");
        WriteResult w = http.put(url, bytes).json(WriteResult.class);
        Http.Response raw = http.get(url + "?raw=true");
        assertThat(raw.status()).as("%s", raw).isEqualTo(200);
        assertThat(raw.body()).isEqualTo(bytes);
        assertThat(raw.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/octet-stream"));
        assertThat(raw.header("X-Baton-Revision")).hasValue(Long.toString(w.revision()));
    }

    @Test
    void keysMayContainSlashesSpacesAndUnicodeUpTo512Bytes() {
        List<String> keys = List.of("a/b/c", "with space", "\u00fcber/\u4e16\u754c", "k".repeat(512), "\u00e9".repeat(256));
        for (String key : keys) {
            String url = active.url() + Http.kvPath(key);
            Http.Response put = http.put(url, "v");
            assertThat(put.status()).as("%s", put).isEqualTo(200);
            Http.Response get = http.get(url);
            assertThat(get.status()).as("%s", get).isEqualTo(200);
            assertThat(get.json(KvEntry.class).key()).isEqualTo(key);
        }
    }

    @Test
    void listReturnsThePrefixSortedByKey() {
        for (String k : List.of("list/b", "list/a", "list/c/1", "lisT/other", "other/list/x")) {
            assertThat(http.put(active.url() + Http.kvPath(k), "v-" + k).status()).isEqualTo(200);
        }
        Http.Response list = http.get(active.url() + "/v1/kv?prefix=list/");
        assertThat(list.status()).as("%s", list).isEqualTo(200);
        assertThat(Arrays.stream(list.json(KvEntry[].class)).map(KvEntry::key))
                .containsExactly("list/a", "list/b", "list/c/1");
        assertThat(list.json(KvEntry[].class)[0].value()).isEqualTo("v-list/a");

        Http.Response limited = http.get(active.url() + "/v1/kv?prefix=list/&limit=2");
        assertThat(limited.status()).as("%s", limited).isEqualTo(200);
        assertThat(Arrays.stream(limited.json(KvEntry[].class)).map(KvEntry::key)).containsExactly("list/a", "list/b");
        // a listing cut at its limit says so and where to go on (it used to look complete)
        assertThat(list.header("Baton-Truncated")).hasValue("false");
        assertThat(limited.header("Baton-Truncated")).hasValue("true");
        assertThat(limited.header("Baton-Next-After")).hasValue("list%2Fb");
        assertThat(limited.header("Link")).hasValue("</v1/kv?prefix=list%2F&after=list%2Fb&limit=2>; rel=\"next\"");
        String next = limited.header("Link").orElseThrow().replaceAll("^<(.*)>.*$", "$1");
        Http.Response rest = http.get(active.url() + next);
        assertThat(Arrays.stream(rest.json(KvEntry[].class)).map(KvEntry::key)).containsExactly("list/c/1");
        assertThat(rest.header("Baton-Truncated")).hasValue("false");

        // the client reads every page; the CLI prints one page with --limit and says how to go on
        try (BatonClient client = TestClients.builder(cluster).build()) {
            assertThat(client.listPage("list/", "list/a", 1).entries()).extracting(KvEntry::key).containsExactly("list/b");
            assertThat(client.list("list/")).extracting(KvEntry::key).containsExactly("list/a", "list/b", "list/c/1");
        }
    }

    @Test
    void compareAndSetAppliesOnlyAtTheExpectedRevision() {
        String url = active.url() + Http.kvPath("api/cas");
        Http.Response create = http.put(url + "?ifRevision=0", "v1");
        assertThat(create.status()).as("create with ifRevision=0: %s", create).isEqualTo(200);
        long rev = create.json(WriteResult.class).revision();

        Http.Response createAgain = http.put(url + "?ifRevision=0", "v1-bis");
        assertMismatch(createAgain, rev);

        Http.Response stale = http.put(url + "?ifRevision=" + (rev + 1000), "nope");
        assertMismatch(stale, rev);

        Http.Response ok = http.put(url + "?ifRevision=" + rev, "v2");
        assertThat(ok.status()).as("%s", ok).isEqualTo(200);
        assertThat(ok.json(WriteResult.class).previousRevision()).isEqualTo(rev);
        long rev2 = ok.json(WriteResult.class).revision();

        Http.Response staleDelete = http.delete(url + "?ifRevision=" + rev);
        assertMismatch(staleDelete, rev2);
        assertThat(http.get(url).json(KvEntry.class)).isEqualTo(new KvEntry("api/cas", "v2", rev2));

        Http.Response absent = http.put(active.url() + Http.kvPath("api/cas-absent") + "?ifRevision=5", "x");
        assertMismatch(absent, 0);
        assertNotFound(active.url() + Http.kvPath("api/cas-absent"));

        Http.Response delete = http.delete(url + "?ifRevision=" + rev2);
        assertThat(delete.status()).as("%s", delete).isEqualTo(200);
        assertNotFound(url);
    }

    // ---- errors ---------------------------------------------------------------------------------

    @Test
    void anAckedBelowBeyondTheWritesOwnNumberIsRefusedAndLocksTheClientOutOfNothing() {
        // seen: Baton-Acked-Below 2^63-1 was accepted, and every later write of that client id failed with 400, forever
        String url = active.url() + Http.kvPath("api/acked-below");
        String session = http.openSession(active.url());
        Http.Response huge = http.putInSession(url, "v1", session, 1, Long.MAX_VALUE);
        assertError(huge, 400, "invalid_parameter");
        assertThat(huge.error().message()).contains("Baton-Acked-Below").contains("Baton-Request-Seq");
        assertNotFound(url);

        Http.Response next = http.putInSession(url, "v2", session, 2, 1);
        assertThat(next.status()).as("%s", next).isEqualTo(200);
        assertThat(http.get(url).json(KvEntry.class).value()).isEqualTo("v2");
    }

    @Test
    void badRequestsAreRejectedWithTheDocumentedErrorsAndChangeNothing() {
        long revisionBefore = cluster.statusOf(active.node()).revision();
        String base = active.url();
        String tooLongKey = "api/too-long/" + "k".repeat(500); // 513 bytes
        String tooLongUtf8Key = "\u00e9".repeat(257); // 514 bytes, 257 characters

        assertError(http.put(base + "/v1/kv/", "v"), 400, "invalid_key");
        assertError(http.get(base + "/v1/kv/"), 400, "invalid_key");
        assertError(http.put(base + Http.kvPath(tooLongKey), "v"), 400, "invalid_key");
        assertError(http.put(base + Http.kvPath(tooLongUtf8Key), "v"), 400, "invalid_key");
        assertError(http.get(base + Http.kvPath(tooLongKey)), 400, "invalid_key");
        assertError(http.put(base + Http.kvPath("bad\u0001key"), "v"), 400, "invalid_key");
        assertError(http.put(base + Http.kvPath("api/too-large"), new byte[MAX_VALUE_BYTES + 1]), 413, "value_too_large");
        assertError(http.put(base + Http.kvPath("api/bad-cas") + "?ifRevision=abc", "v"), 400, "invalid_parameter");
        assertError(http.delete(base + Http.kvPath("api/bad-cas") + "?ifRevision=abc"), 400, "invalid_parameter");
        assertError(http.get(base + "/v1/kv?prefix=api/&limit=-1"), 400, "invalid_parameter");
        assertError(http.get(base + "/v1/kv?prefix=api/&limit=abc"), 400, "invalid_parameter");
        assertError(http.get(base + "/v1/nope"), 404, "not_found");
        assertError(http.get(base + "/v2/kv/x"), 404, "not_found");
        assertError(http.get(base + "/web/nope.js"), 404, "not_found"); // "/" is the status page now
        assertError(http.method("POST", base + Http.kvPath("api/post"), "v".getBytes(StandardCharsets.UTF_8)), 405, "method_not_allowed");
        assertError(http.method("POST", base + "/v1/status", new byte[0]), 405, "method_not_allowed");
        assertError(http.get(base + Http.kvPath("api/missing")), 404, "key_not_found");

        assertThat(cluster.statusOf(active.node()).revision()).as("global revision after rejected requests").isEqualTo(revisionBefore);
        for (String key : List.of(tooLongKey.substring(0, 512), "api/too-large", "api/bad-cas", "api/post")) {
            assertNotFound(base + Http.kvPath(key));
        }
    }

    @Test
    void valueAtTheLimitIsAcceptedOneByteMoreIsNot() {
        String url = active.url() + Http.kvPath("api/limit");
        assertThat(http.put(url, new byte[MAX_VALUE_BYTES]).status()).isEqualTo(200);
        long revision = http.get(url).json(KvEntry.class).revision();
        assertError(http.put(url, new byte[MAX_VALUE_BYTES + 1]), 413, "value_too_large");
        assertThat(http.get(url).json(KvEntry.class).revision()).as("rejected overwrite changed nothing").isEqualTo(revision);
        assertThat(http.get(url + "?raw=true").body()).hasSize(MAX_VALUE_BYTES);
    }

    @Test
    void standbysRedirectEveryKvCallToTheActiveAndApplyNothing() {
        long revisionBefore = cluster.statusOf(active.node()).revision();
        List<Http.Response> answers = new ArrayList<>();
        for (NodeProcess standby : cluster.others(active.node())) {
            String path = Http.kvPath("api/via-" + standby.id());
            answers.add(http.put(standby.url() + path, "v"));
            answers.add(http.put(standby.url() + path + "?ifRevision=0", "v"));
            answers.add(http.get(standby.url() + path));
            answers.add(http.delete(standby.url() + path));
            for (Http.Response r : answers.subList(answers.size() - 4, answers.size())) {
                assertThat(r.status()).as("%s", r).isEqualTo(307);
                String expectedLocation = active.url() + r.uri().substring(standby.url().length());
                assertThat(r.header("Location")).as("%s", r).hasValue(expectedLocation);
                ErrorBody body = r.error();
                assertThat(body.error()).isEqualTo("not_leader");
                assertThat(body.message()).isNotBlank();
                assertThat(body.leader()).isEqualTo(new LeaderInfo(active.id(), active.url(), active.term()));
            }
            Http.Response list = http.get(standby.url() + "/v1/kv?prefix=api/");
            assertThat(list.status()).as("%s", list).isEqualTo(307);
            assertThat(list.header("Location")).hasValue(active.url() + "/v1/kv?prefix=api/");
        }
        assertThat(cluster.statusOf(active.node()).revision()).isEqualTo(revisionBefore);
        for (NodeProcess standby : cluster.others(active.node())) {
            assertNotFound(active.url() + Http.kvPath("api/via-" + standby.id()));
        }
    }

    private static void assertMismatch(Http.Response r, long currentRevision) {
        ErrorBody body = assertError(r, 409, "revision_mismatch");
        assertThat(body.currentRevision()).as("currentRevision of %s", r).isEqualTo(currentRevision);
    }

    private static ErrorBody assertError(Http.Response r, int status, String code) {
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        JsonNode tree = r.tree();
        assertThat(tree.path("error").asText()).as("%s", r).isEqualTo(code);
        assertThat(tree.path("message").asText()).as("message of %s", r).isNotBlank();
        return r.error();
    }

    private static void assertNotFound(String url) {
        assertError(http.get(url), 404, "key_not_found");
    }
}
