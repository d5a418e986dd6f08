package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.client.BatonClient;
import dev.baton.client.BatonException;
import dev.baton.client.LeaderEvent;
import dev.baton.client.LeaderWatch;
import dev.baton.client.internal.ClientTls;
import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.MemberInfo;
import dev.baton.client.wire.NodeStatus;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HTTPS for clients on real processes: a three-node active-active cluster whose HTTP ports speak
 * only HTTPS, certificates from a keytool CA (n1 from PEM files, n2 and n3 from PKCS#12
 * keystores). Status and leader name https URLs; a write sent to a standby is forwarded to the
 * ACTIVE over HTTPS; plain HTTP gets a 400 {@code https_required} and a close, and the node serves
 * on; a client without the CA fails its handshake; n1's certificate is replaced on disk and new
 * connections see it without a restart; the real client writes, reads and follows a kill -9
 * failover over HTTPS.
 */
@ExtendWith(NodeLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpsIT {

    private static TestCluster cluster;
    private static TestCertificates ca;
    private static SSLContext trust;
    /** n1's live certificate files (the reload test replaces them). */
    private static Path n1Cert;
    private static Path n1Key;

    @BeforeAll
    static void startCluster() throws Exception {
        Path dir = TestCluster.itDir().resolve("HttpsIT-certs");
        deleteRecursively(dir);
        ca = TestCertificates.newCa(dir, "https-ca");
        trust = ClientTls.context(ca.caPem(), null, null);
        n1Cert = dir.resolve("n1-live.pem");
        n1Key = dir.resolve("n1-live.key");
        cluster = TestCluster.create("HttpsIT", 3, trust, (id, host) -> {
            try {
                TestCertificates.ServerFiles files = ca.serverCertificate(id + "-a", host);
                List<String> options = new ArrayList<>(List.of("--http-tls-ca", ca.caPem().toString()));
                if (id.equals("n1")) {
                    Files.copy(files.certPem(), n1Cert, StandardCopyOption.REPLACE_EXISTING);
                    Files.copy(files.keyPem(), n1Key, StandardCopyOption.REPLACE_EXISTING);
                    options.addAll(List.of("--http-tls-cert", n1Cert.toString(), "--http-tls-key", n1Key.toString()));
                } else {
                    options.addAll(List.of("--http-tls-keystore", files.keystore().toString(),
                            "--http-tls-password-file", ca.passwordFile().toString()));
                }
                return options;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "--mode", "active-active");
        cluster.startAll();
        TestCluster.Active active = cluster.awaitSettled();
        System.out.printf("[it] HttpsIT: HTTPS cluster up, %s ACTIVE at term %d%n", active.id(), active.term());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void statusAndLeaderNameHttpsUrls() {
        TestCluster.Active active = cluster.awaitActive();
        for (NodeProcess n : cluster.nodes()) {
            NodeStatus s = cluster.statusOf(n);
            assertThat(s.url()).isEqualTo("https://" + n.host() + ":" + TestCluster.HTTP_PORT);
            assertThat(s.members()).extracting(MemberInfo::url).allMatch(u -> u.startsWith("https://"), "https");
            assertThat(s.leader().url()).isEqualTo(active.url()).startsWith("https://");
        }
        Http.Response leader = cluster.http().get(cluster.nodes().get(0).url() + "/v1/leader");
        assertThat(leader.status()).as("%s", leader).isEqualTo(200);
        assertThat(leader.tree().get("url").asText()).isEqualTo(active.url());
    }

    @Test
    @Order(2)
    void writeToStandbyIsForwardedOverHttps() {
        TestCluster.Active active = cluster.awaitActive();
        NodeProcess standby = cluster.others(active.node()).get(0);
        Http.Response put = cluster.http().put(standby.url() + Http.kvPath("https/forwarded"), "f1");
        assertThat(put.status()).as("%s", put).isEqualTo(200);
        assertThat(put.header("Baton-Forwarded-To")).contains(active.url());
        Http.Response get = cluster.http().get(active.url() + Http.kvPath("https/forwarded"));
        assertThat(get.tree().get("value").asText()).isEqualTo("f1");
    }

    @Test
    @Order(3)
    void plainHttpIsRefusedWith400AndClose() throws Exception {
        NodeProcess n = cluster.nodes().get(1);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(n.host(), TestCluster.HTTP_PORT), 2_000);
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /v1/status HTTP/1.1\r\nHost: " + n.host() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8); // to EOF: the node closes
            assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("Connection: close")
                    .contains("\"error\":\"https_required\"");
        }
        assertThat(cluster.statusOf(n).id()).isEqualTo(n.id());
        assertThat(Files.readString(n.logFile())).doesNotContain("TlsOnlyHandler").doesNotContain("NotSslRecordException");
    }

    @Test
    @Order(4)
    void clientWithoutTheCaFailsItsHandshake() {
        try (BatonClient client = BatonClient.builder().seeds(cluster.seeds()).deadline(Duration.ofSeconds(2)).build()) {
            assertThatThrownBy(() -> client.get("https/forwarded")).isInstanceOf(BatonException.class)
                    .hasMessageContaining("TLS handshake failed");
        }
    }

    @Test
    @Order(5)
    void replacedCertificateIsServedWithoutRestart() throws Exception {
        NodeProcess n1 = cluster.node("n1");
        long pid = n1.pid();
        assertThat(peerSubject(n1)).isEqualTo("CN=n1-a");
        TestCertificates.ServerFiles next = ca.serverCertificate("n1-b", n1.host());
        replace(next.keyPem(), n1Key);
        replace(next.certPem(), n1Cert);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(peerSubject(n1)).isEqualTo("CN=n1-b"));
        assertThat(n1.pid()).isEqualTo(pid);
        assertThat(Files.readString(n1.logFile())).contains("HTTPS certificate reloaded");
        assertThat(cluster.statusOf(n1).id()).isEqualTo("n1");
    }

    @Test
    @Order(6)
    void clientWritesReadsAndFollowsFailoverOverHttps() {
        List<LeaderEvent> events = new CopyOnWriteArrayList<>();
        try (BatonClient client = BatonClient.builder().seeds(cluster.seeds()).trust(ca.caPem()).deadline(Duration.ofSeconds(30)).build()) {
            LeaderWatch watch = client.watchLeader(events::add);
            client.put("https/k", "v1");
            assertThat(client.get("https/k")).map(KvEntry::value).contains("v1");
            await().atMost(TestCluster.WAIT).until(() -> events.stream().anyMatch(LeaderEvent::hasLeader));
            assertThat(events.stream().filter(LeaderEvent::hasLeader).findFirst().orElseThrow().leader().orElseThrow().url())
                    .startsWith("https://");

            TestCluster.Active before = cluster.awaitActive();
            before.node().kill9();
            client.put("https/k", "v2");
            TestCluster.Active after = cluster.awaitActive(before.term());
            assertThat(after.id()).isNotEqualTo(before.id());
            assertThat(client.get("https/k")).map(KvEntry::value).contains("v2");
            client.put("https/k", "v3");
            assertThat(client.get("https/k")).map(KvEntry::value).contains("v3");
            watch.close();
            before.node().restart();
        }
    }

    @Test
    @Order(7)
    void cliReadsOverHttpsWithCacert() throws Exception {
        BatonCli cli = BatonCli.against(cluster);
        BatonJar.RunResult r = cli.run("get", "https/forwarded", "--cacert", ca.caPem().toString());
        assertThat(r.exitCode()).as("%s", r.output()).isZero();
        assertThat(r.output()).contains("f1");
    }

    @Test
    @Order(8)
    void withClientCaOnlyClientsWithACertificateGetIn() throws Exception {
        NodeProcess n3 = cluster.node("n3");
        n3.terminate();
        n3.start(List.of("--http-tls-client-ca", ca.caPem().toString()));
        char[] password = Files.readString(ca.passwordFile()).strip().toCharArray();
        Path clientStore = ca.serverCertificate("client-1", "127.0.0.1").keystore();
        Http withCertificate = new Http(ClientTls.context(ca.caPem(), clientStore, password));
        await().atMost(TestCluster.WAIT).ignoreExceptions()
                .untilAsserted(() -> assertThat(withCertificate.get(n3.url() + "/v1/status").status()).isEqualTo(200));
        // TLS 1.3: the refusal may come as an alert in the handshake or on the first read
        assertThatThrownBy(() -> cluster.http().get(n3.url() + "/v1/status")).isInstanceOf(java.io.UncheckedIOException.class);

        // the CLI: --client-cert gets in, none is refused with a non-zero exit
        BatonCli cli = BatonCli.in(cluster.dir().resolve("cli"), Duration.ofSeconds(60));
        List<String> toN3 = List.of("status", "--seeds", n3.url(), "--timeout", "10s", "--cacert", ca.caPem().toString());
        BatonJar.RunResult in = cli.run(concat(toN3, "--client-cert", clientStore.toString(),
                "--client-cert-password-file", ca.passwordFile().toString()));
        assertThat(in.exitCode()).as("%s", in.output()).isZero();
        assertThat(in.output()).contains("n3");
        BatonJar.RunResult refused = cli.run(toN3.toArray(String[]::new));
        assertThat(refused.exitCode()).as("%s", refused.output()).isNotZero();
        BatonJar.RunResult noPassword = cli.run(concat(toN3, "--client-cert", clientStore.toString()));
        assertThat(noPassword.exitCode()).isNotZero();
        assertThat(noPassword.output()).contains("--client-cert-password-file");
    }

    private static String[] concat(List<String> first, String... more) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** The subject of the certificate a new TLS connection to {@code node} is shown. */
    private static String peerSubject(NodeProcess node) throws Exception {
        try (SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress(node.host(), TestCluster.HTTP_PORT), 2_000);
            s.setSoTimeout(5_000);
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    /** As an operator's deploy tool would: write beside, then rename over (no half-written file is ever read). */
    private static void replace(Path source, Path target) throws Exception {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteRecursively(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
