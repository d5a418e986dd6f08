package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP front against slow, hostile and careless clients on a real three-node cluster (issue
 * 13). The attacker's raw sockets come from an address of their own ({@code attacker}), so the
 * per-client limit applies to them and not to the test's ordinary client. n3 runs with short HTTP
 * timeouts and {@code --no-failover} (never ACTIVE), so timeouts are seen there without cutting the
 * ACTIVE's slow connections short.
 */
@ExtendWith(NodeLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpFrontIT {

    /** Generous: the brief forbids asserting speed, only that the answer comes and is right. */
    private static final long ANSWER_WITHIN_S = 5;

    private static TestCluster cluster;
    private static LoopbackBlocks.Block attackerBlock;
    private static String attacker;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.create("HttpFrontIT", 3, Map.of("n3", List.of("--no-failover",
                "--http-header-timeout-ms", "1000", "--http-body-timeout-ms", "1000")));
        attackerBlock = LoopbackBlocks.take(2);
        attacker = attackerBlock.hosts().get(1); // never 127.0.0.1, the test's own client's source address

        cluster.startAll();
        cluster.awaitSettled();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (attackerBlock != null) {
            attackerBlock.close();
        }
    }

    @Test
    @Order(1)
    void slowAndIdleConnectionsStallNeitherWritesNorHealthAndLeaveNoDescriptorBehind() throws Exception {
        TestCluster.Active active = cluster.awaitActive();
        long baseline = openDescriptors(active.node());
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 64; i++) {
                Socket s = attack(active.node());
                sockets.add(s);
                send(s, "GET /v1/status HTTP/1.1\r\nHost: x\r\n"); // never the blank line
            }
            for (int i = 0; i < 500; i++) {
                sockets.add(attack(active.node()));
            }
            Http.Response put = CompletableFuture.supplyAsync(() -> cluster.http().put(active.url() + Http.kvPath("front/k"), "v"))
                    .get(ANSWER_WITHIN_S, TimeUnit.SECONDS);
            assertThat(put.status()).as("%s", put).isEqualTo(200);
            for (String health : List.of("/health/live", "/health/active")) {
                Http.Response h = CompletableFuture.supplyAsync(() -> cluster.http().get(active.url() + health))
                        .get(ANSWER_WITHIN_S, TimeUnit.SECONDS);
                assertThat(h.status()).as("%s", h).isEqualTo(200);
            }
            System.out.printf("[it] HttpFrontIT: %s answered beside 564 attacking connections; descriptors %d -> %d%n",
                    active.id(), baseline, openDescriptors(active.node()));
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        for (int i = 0; i < 100; i++) { // half-sent requests the client then closes
            try (Socket s = attack(active.node())) {
                send(s, i % 2 == 0 ? "GET /v1/status HTTP/1.1\r\nHost: x\r\n" : "PUT /v1/kv/x HTTP/1.1\r\nContent-Length: 9\r\n\r\nab");
            }
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(openDescriptors(active.node())).as("descriptors of %s (baseline %d)", active.id(), baseline)
                        .isLessThanOrEqualTo(baseline + 16));
    }

    @Test
    @Order(2)
    void aHeadOrBodyThatNeverCompletesIs408() throws Exception {
        NodeProcess n3 = cluster.node("n3");
        try (Socket s = attack(n3)) {
            send(s, "GET /v1/status HTTP/1.1\r\nHost: x\r\n");
            assertThat(readToClose(s)).startsWith("HTTP/1.1 408 ").contains("application/json").contains("\"error\":\"request_timeout\"");
        }
        try (Socket s = attack(n3)) {
            send(s, "PUT /v1/kv/front/slow-body HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nten bytes!");
            assertThat(readToClose(s)).startsWith("HTTP/1.1 408 ").contains("\"error\":\"request_timeout\"");
        }
        assertAbsent("front/slow-body");
    }

    @Test
    @Order(3)
    void badInputIsAJson400AndStoresNothing() throws Exception {
        TestCluster.Active active = cluster.awaitActive();
        long revision = cluster.statusOf(active.node()).revision();
        // %zz: malformed percent-encoding
        assertJson400(active.node(), "PUT /v1/kv/a%zz HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nv".getBytes(StandardCharsets.US_ASCII));
        // a raw space: neither key "sp" nor "sp ace"
        assertJson400(active.node(), "PUT /v1/kv/sp ace HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nv".getBytes(StandardCharsets.US_ASCII));
        // raw bytes 0xFF 0xFE: not stored as U+00FF U+00FE
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes("PUT /v1/kv/".getBytes(StandardCharsets.US_ASCII));
        raw.write(0xFF);
        raw.write(0xFE);
        raw.writeBytes(" HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nv".getBytes(StandardCharsets.US_ASCII));
        assertJson400(active.node(), raw.toByteArray());
        // a Content-Length that lies, then a half-close: a 400, not a 500 with a stack trace
        try (Socket s = attack(active.node())) {
            send(s, "PUT /v1/kv/front/liar HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nten bytes!");
            s.shutdownOutput();
            assertThat(readToClose(s)).startsWith("HTTP/1.1 400 ").contains("\"error\":\"malformed_request\"");
        }
        for (String key : List.of("sp", "sp ace", "a", "\u00ff\u00fe", "front/liar")) {
            assertAbsent(key);
        }
        assertThat(cluster.statusOf(active.node()).revision()).as("nothing stored").isEqualTo(revision);
        assertThat(Files.readString(active.node().logFile())).doesNotContain("internal error answering");
    }

    @Test
    @Order(4)
    void maintenanceDurationsAreBounded() {
        TestCluster.Active active = cluster.awaitActive();
        Http.Response huge = cluster.http().put(active.url() + "/v1/admin/maintenance?enabled=true&for=999999999999h", "");
        assertThat(huge.status()).as("%s", huge).isEqualTo(400);
        assertThat(huge.error().error()).isEqualTo("invalid_parameter");
        assertThat(huge.error().message()).contains("for=").contains("24h");
        Http.Response get = cluster.http().get(active.url() + "/v1/admin/maintenance");
        assertThat(get.text()).contains("\"enabled\":false");
    }

    @Test
    @Order(5)
    void aTransferWhileOneIsInFlightIsRefused() throws Exception {
        TestCluster.Active active = cluster.awaitSettled();
        String to = active.id().equals("n1") ? "n2" : "n1";
        List<CompletableFuture<Http.Response>> transfers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            transfers.add(CompletableFuture.supplyAsync(
                    () -> cluster.http().method("POST", active.url() + "/v1/admin/transfer?to=" + to, new byte[0])));
        }
        List<Http.Response> answers = new ArrayList<>();
        for (CompletableFuture<Http.Response> t : transfers) {
            answers.add(t.get(30, TimeUnit.SECONDS));
        }
        assertThat(answers).as("%s", answers).filteredOn(r -> r.status() == 200).hasSize(1);
        assertThat(answers).as("%s", answers).anySatisfy(r -> {
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.error().error()).isEqualTo("conflict");
            assertThat(r.error().message()).contains("already in flight");
        });
        cluster.awaitActive(active.term());
    }

    private static void assertJson400(NodeProcess node, byte[] request) throws IOException {
        try (Socket s = attack(node)) {
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            String answer = readHead(s);
            assertThat(answer).as(new String(request, StandardCharsets.ISO_8859_1))
                    .startsWith("HTTP/1.1 400 ").containsIgnoringCase("content-type: application/json").contains("\"error\":\"");
        }
    }

    private static void assertAbsent(String key) {
        TestCluster.Active active = cluster.awaitActive();
        Http.Response r = cluster.http().get(active.url() + Http.kvPath(key));
        assertThat(r.status()).as("GET %s: %s", key, r).isEqualTo(404);
    }

    private static long openDescriptors(NodeProcess node) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(node.pid()), "fd"))) {
            return fds.count();
        }
    }

    /** A raw socket from the attacker's own address to {@code node}'s HTTP port. */
    private static Socket attack(NodeProcess node) throws IOException {
        Socket s = new Socket();
        try {
            s.bind(new InetSocketAddress(attacker, 0));
            s.connect(new InetSocketAddress(node.host(), TestCluster.HTTP_PORT), 5_000);
            s.setSoTimeout(10_000);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private static void send(Socket s, String raw) throws IOException {
        s.getOutputStream().write(raw.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    /** What the node sends until it closes; the socket timeout bounds the wait. */
    private static String readToClose(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** One answer (head and the JSON body that follows in the same packet or soon after), without waiting for a close. */
    private static String readHead(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; !out.toString(StandardCharsets.UTF_8).contains("}") && (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
