package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.client.wire.NodeStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The leader feed ({@code GET /v1/leader?waitForTermAbove=N} and {@code GET /v1/leader/watch}) on
 * every node says what {@code GET /v1/leader} and {@code /v1/status} say, whatever the order in
 * which a node changes role and hears from the new leader. Regression: after {@code POST
 * /v1/admin/transfer?to=X} the old leader stepped down before it heard from X; its feed was updated
 * only on its own role changes, so its long-poll answered 503 {@code no_leader} and its watch sent
 * {@code no_leader} for minutes while {@code /v1/leader} named X (and {@code BatonClient}, which
 * discovers leaders by that long-poll, could not find X through it).
 */
@ExtendWith(NodeLogsOnFailure.class)
class LeaderFeedIT {

    private static final int SWITCHOVERS = 3;
    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start("LeaderFeedIT", 3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyNodesFeedNamesTheNewLeaderAfterASwitchover() throws Exception {
        Http http = cluster.http();
        HttpClient sse = HttpClient.newHttpClient();
        TestCluster.Active active = cluster.awaitSettled();
        for (int i = 0; i < SWITCHOVERS; i++) {
            NodeProcess old = active.node();
            NodeProcess target = cluster.others(old).get(0);
            // a watch stream on every node, opened before the switchover
            Map<NodeProcess, List<String>> events = new java.util.LinkedHashMap<>();
            List<InputStream> streams = new ArrayList<>();
            for (NodeProcess n : cluster.nodes()) {
                List<String> lines = new CopyOnWriteArrayList<>();
                events.put(n, lines);
                InputStream in = sse.send(HttpRequest.newBuilder(URI.create(n.url() + "/v1/leader/watch")).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream()).body();
                streams.add(in);
                Thread reader = new Thread(() -> readLines(in, lines), "sse-" + n.id());
                reader.setDaemon(true);
                reader.start();
            }
            long term;
            try {
                for (NodeProcess n : cluster.nodes()) {
                    await(n.id() + "'s watch sent the current leader").atMost(TestCluster.WAIT)
                            .until(() -> events.get(n).stream().anyMatch(l -> l.startsWith("data:") && l.contains("\"" + old.id() + "\"")));
                }

                Http.Response moved = http.method("POST", old.url() + "/v1/admin/transfer?to=" + target.id(), new byte[0]);
                assertThat(moved.status()).as("%s", moved).isEqualTo(200);
                term = moved.tree().get("term").asLong();
                assertThat(term).isGreaterThan(active.term());

                for (NodeProcess n : cluster.nodes()) {
                    // the long-poll BatonClient uses to discover a newer leader
                    Http.Response polled = http.get(n.url() + "/v1/leader?waitForTermAbove=" + active.term() + "&timeoutMs=10000");
                    assertThat(polled.status()).as("long-poll on %s after the switchover %s -> %s: %s", n.id(), old.id(), target.id(), polled)
                            .isEqualTo(200);
                    JsonNode leader = polled.tree();
                    assertThat(leader.get("id").asText()).as("long-poll on %s", n.id()).isEqualTo(target.id());
                    assertThat(leader.get("term").asLong()).isEqualTo(term);

                    String expected = "\"id\":\"" + target.id() + "\"";
                    await(n.id() + "'s watch sent the new leader " + target.id()).atMost(Duration.ofSeconds(10))
                            .until(() -> events.get(n).stream().anyMatch(l -> l.startsWith("data:") && l.contains(expected)));
                    String last = lastData(events.get(n));
                    assertThat(last).as("last event on %s's watch: %s", n.id(), events.get(n)).contains(expected);

                    NodeStatus status = cluster.statusOf(n);
                    assertThat(status.leader()).as("/v1/status of %s", n.id()).isNotNull();
                    assertThat(status.leader().id()).isEqualTo(target.id());
                }
                System.out.printf("[it] LeaderFeedIT: switchover %s -> %s (term %d): every node's long-poll, watch and status name %s%n",
                        old.id(), target.id(), term, target.id());
            } finally {
                for (InputStream in : streams) {
                    in.close();
                }
            }
            active = cluster.awaitActive(term - 1);
            assertThat(active.id()).isEqualTo(target.id());
        }
    }

    private static String lastData(List<String> lines) {
        String last = "";
        for (String l : lines) {
            if (l.startsWith("data:")) {
                last = l;
            }
        }
        return last;
    }

    private static void readLines(InputStream in, List<String> into) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                into.add(line);
            }
        } catch (IOException e) {
            // closed by the test
        }
    }
}
