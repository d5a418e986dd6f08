package dev.baton.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import org.jgroups.Version;
import org.jgroups.stack.IpAddress;
import org.jgroups.util.ByteArrayDataOutputStream;
import org.junit.jupiter.api.Test;

class TransportPreambleTest {

    /** What jgroups 5.4's TcpConnection.sendLocalAddress writes, built with JGroups' own IpAddress. */
    private static byte[] preamble(IpAddress addr) throws Exception {
        ByteArrayDataOutputStream a = new ByteArrayDataOutputStream();
        addr.writeTo(a);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(out);
        d.write(new byte[] {'b', 'e', 'l', 'a'});
        d.writeShort(Version.version);
        d.writeShort(a.position());
        d.write(a.buffer(), 0, a.position());
        d.write(new byte[] {1, 2, 3}); // the first message follows
        return out.toByteArray();
    }

    @Test
    void readsTheClaimedAddressAndKeepsTheBytesForJGroups() throws Exception {
        byte[] wire = preamble(new IpAddress(InetAddress.getByName("127.0.0.22"), 60_001));
        InputStream in = new ByteArrayInputStream(wire);
        TransportPreamble p = TransportPreamble.read(in);
        assertThat(p.host()).isEqualTo(InetAddress.getByName("127.0.0.22"));
        assertThat(p.port()).isEqualTo(60_001);
        assertThat(p.bytes()).hasSize(wire.length - 3);
        assertThat(in.read()).isEqualTo(1); // nothing after the preamble consumed
    }

    @Test
    void readsIpv6() throws Exception {
        TransportPreamble p = TransportPreamble.read(new ByteArrayInputStream(preamble(new IpAddress(InetAddress.getByName("::1"), 7800))));
        assertThat(p.host()).isEqualTo(InetAddress.getByName("::1"));
        assertThat(p.port()).isEqualTo(7800);
    }

    @Test
    void anythingElseIsNoPreamble() throws IOException {
        assertThat(TransportPreamble.read(new ByteArrayInputStream("GET / HTTP/1.1\r\n\r\n".getBytes()))).isNull();
    }
}
