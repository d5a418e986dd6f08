package dev.baton.node.raft;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * The first bytes a JGroups TCP peer sends on a new connection (jgroups 5.4 {@code
 * TcpConnection.sendLocalAddress}): the cookie {@code "bela"}, the version (short), the address
 * length (short), then its listening address as {@code IpAddress.writeTo} writes it (length byte,
 * 4 or 16 address bytes, a scope id int for IPv6, unsigned short port). The receiving transport
 * files the connection under that address and routes answers for it through this connection, so
 * {@link VerifyingServerSocket} reads it first and checks it against the peer's certificate.
 *
 * @param host the claimed listening host
 * @param port the claimed listening port
 * @param bytes everything read, to be handed to JGroups again
 */
record TransportPreamble(InetAddress host, int port, byte[] bytes) {

    private static final byte[] COOKIE = {'b', 'e', 'l', 'a'};

    /** Reads the preamble, or null if the stream does not start with one. */
    static TransportPreamble read(InputStream stream) throws IOException {
        ByteArrayOutputStream copy = new ByteArrayOutputStream(32);
        DataInputStream in = new DataInputStream(stream);
        byte[] cookie = take(in, copy, 4);
        if (!Arrays.equals(cookie, COOKIE)) {
            return null;
        }
        take(in, copy, 4); // version and address length: JGroups checks them itself
        int len = take(in, copy, 1)[0];
        if (len != 4 && len != 16) {
            return null;
        }
        byte[] addr = take(in, copy, len);
        InetAddress host = len == 16
                ? Inet6Address.getByAddress(null, addr, java.nio.ByteBuffer.wrap(take(in, copy, 4)).getInt())
                : InetAddress.getByAddress(addr);
        byte[] port = take(in, copy, 2);
        return new TransportPreamble(host, ((port[0] & 0xff) << 8) | (port[1] & 0xff), copy.toByteArray());
    }

    private static byte[] take(DataInputStream in, ByteArrayOutputStream copy, int n) throws IOException {
        byte[] b = new byte[n];
        in.readFully(b);
        copy.write(b);
        return b;
    }
}
