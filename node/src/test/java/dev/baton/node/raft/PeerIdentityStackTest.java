package dev.baton.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.node.config.NodeConfig;
import dev.baton.node.config.PeerTls;
import dev.baton.node.peer.MemberDirectory;
import dev.baton.node.peer.MemberHosts;
import dev.baton.node.peer.PeerCredentials;
import dev.baton.node.peer.PeerRefusals;
import dev.baton.node.peer.Refusal;
import dev.baton.node.statemachine.KvStateMachine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jgroups.JChannel;
import org.jgroups.raft.RaftHandle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer TLS stack in one JVM, for the one attack a stock node cannot be started to try: a
 * process with n2's key, on n2's host and n2's transport address, that calls itself n3 (raft id
 * n3). Every connection check passes (n2's certificate, from n2's host, claiming n2's address); the
 * message check in {@link BatonTcp} must keep it out of the view. The positive case shows the same
 * stack with an honest n2 forms a view.
 *
 * <p>Certificates come from the JDK's keytool; addresses are in 127.0.3.x, outside the integration
 * tests' blocks, with ports the OS says are free.
 */
class PeerIdentityStackTest {

    private static final String PASSWORD = "baton-test";

    @TempDir
    static Path certs;

    @TempDir
    Path data;

    private static String members;
    private final List<JChannel> channels = new ArrayList<>();

    @BeforeAll
    static void certificates() throws Exception {
        Files.writeString(certs.resolve("password"), PASSWORD + "\n");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=test-ca", "-ext", "bc:c",
                "-validity", "2", "-keystore", certs.resolve("ca.p12").toString(), "-storetype", "PKCS12");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", certs.resolve("ca.p12").toString(), "-file", certs.resolve("ca.pem").toString());
        for (String id : List.of("n1", "n2")) {
            Path store = certs.resolve(id + ".p12");
            keytool("-genkeypair", "-alias", id, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + id, "-validity", "2",
                    "-keystore", store.toString(), "-storetype", "PKCS12");
            keytool("-certreq", "-alias", id, "-keystore", store.toString(), "-file", certs.resolve(id + ".csr").toString());
            keytool("-gencert", "-alias", "ca", "-keystore", certs.resolve("ca.p12").toString(), "-infile", certs.resolve(id + ".csr").toString(),
                    "-outfile", certs.resolve(id + ".pem").toString(), "-rfc", "-ext", "san=uri:baton:member:" + id, "-validity", "2");
            Files.writeString(certs.resolve(id + ".pem"), Files.readString(certs.resolve(id + ".pem")) + Files.readString(certs.resolve("ca.pem")));
            keytool("-importcert", "-alias", id, "-keystore", store.toString(), "-file", certs.resolve(id + ".pem").toString(), "-noprompt");
        }
        members = "n1=127.0.3.1:" + freePort("127.0.3.1") + ":8080,n2=127.0.3.2:" + freePort("127.0.3.2") + ":8080,n3=127.0.3.3:"
                + freePort("127.0.3.3") + ":8080";
    }

    @AfterEach
    void close() {
        channels.forEach(JChannel::close);
    }

    @Test
    void honestMembersFormAView() throws Exception {
        PeerRefusals refusals = new PeerRefusals();
        JChannel n1 = start("n1", members, "n1", refusals);
        JChannel n2 = start("n2", members, "n2", new PeerRefusals());
        awaitViewSize(n1, 2, 20_000);
        assertThat(refusals.total()).isZero();

        // reconnecting resumes the TLS session, which skips the trust manager: still accepted
        ((BatonTcp) n2.getProtocolStack().getTransport()).clearConnections();
        ((BatonTcp) n1.getProtocolStack().getTransport()).clearConnections();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (((BatonTcp) n1.getProtocolStack().getTransport()).getOpenConnections() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50); // heartbeats reconnect within their interval
        }
        Thread.sleep(1_000); // and keep it
        assertThat(((BatonTcp) n1.getProtocolStack().getTransport()).getOpenConnections()).isPositive();
        assertThat(refusals.byReason()).as("refusals after reconnecting").isEmpty();
        assertThat(n1.getView().size()).as("view %s", n1.getView()).isEqualTo(2);
    }

    @Test
    void memberKeyOnItsOwnAddressCannotClaimAnotherId() throws Exception {
        PeerRefusals refusals = new PeerRefusals();
        JChannel n1 = start("n1", members, "n1", refusals);
        // n3's place in this process's own member list is n2's real address; it holds n2's key
        String n2Address = members.split(",")[1].substring("n2=".length());
        String forged = members.split(",")[0] + ",n3=" + n2Address;
        JChannel impostor = start("n3", forged, "n2", new PeerRefusals());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (refusals.byReason().getOrDefault(Refusal.IMPERSONATION, 0L) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50); // polling the counter: no event to wait on in a plain JGroups test
        }
        assertThat(refusals.byReason()).containsKey(Refusal.IMPERSONATION);
        Thread.sleep(3_000); // the impostor keeps trying to join meanwhile
        assertThat(n1.getView().size()).as("n1's view %s", n1.getView()).isEqualTo(1);
        assertThat(impostor.getView().size()).as("impostor's view %s", impostor.getView()).isEqualTo(1);
        assertThat(refusals.byReason().keySet()).containsOnly(Refusal.IMPERSONATION);
    }

    /** A channel as ClusterJoin builds it (without Baton's lease and health protocols), with the key of {@code certId}. */
    private JChannel start(String id, String memberList, String certId, PeerRefusals refusals) throws Exception {
        PeerTls tls = new PeerTls(certs.resolve("ca.pem"), certs.resolve(certId + ".p12"), certs.resolve("password"));
        NodeConfig config = NodeConfig.builder().nodeId(id).members(memberList).dataDir(data.resolve(id)).fsync(false).peerTls(tls).build();
        // the connection checks use the real member list: the impostor must pass them to reach the message check
        MemberDirectory directory = MemberHosts.resolve(NodeConfig.builder().nodeId("n1").members(members).dataDir(data).build().members());
        PeerCredentials credentials = PeerCredentials.load(tls, certId, directory, refusals);
        JChannel ch = new JChannel(new ByteArrayInputStream(StackConfig.xml(config).getBytes(StandardCharsets.UTF_8)));
        channels.add(ch);
        ch.setName(id);
        new RaftHandle(ch, new ReplicatedKv(new KvStateMachine())).raftId(id);
        BatonTcp transport = (BatonTcp) ch.getProtocolStack().getTransport();
        transport.setSocketFactory(new PeerSocketFactory(credentials, directory, refusals));
        transport.bindMembers(directory, refusals);
        ch.connect(ClusterId.DEFAULT.channelName());
        return ch;
    }

    private static void awaitViewSize(JChannel ch, int size, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (ch.getView().size() != size && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(ch.getView().size()).as("view %s", ch.getView()).isEqualTo(size);
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return s.getLocalPort();
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-J-XX:TieredStopAtLevel=1"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storepass", PASSWORD));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool %s: %s", cmd, out).isZero();
    }
}
