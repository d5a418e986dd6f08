package dev.baton.node.raft;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLSocket;

/**
 * The socket JGroups' TCP transport gets when peer TLS is on: an {@link SSLSocket} behind a plain
 * {@link Socket} face, for two reasons the transport cannot be told about otherwise.
 *
 * <ul>
 *   <li>Outbound, the handshake runs inside {@link #connect(SocketAddress, int)} with a read timeout
 *       ({@link #HANDSHAKE_TIMEOUT_MS}): JGroups starts it with no timeout, and a handshake with a
 *       paused (SIGSTOPped) peer would then block that destination's sender until the peer resumes.
 *   <li>Inbound, {@link VerifyingServerSocket} has already read the peer's first bytes (its claimed
 *       transport address) to check them against its certificate; {@link #getInputStream()} hands
 *       them to JGroups again before the rest of the stream.
 * </ul>
 *
 * Everything else goes to the SSL socket. The transport only looks for {@code SSLSocket} to set
 * linger 0 on close (JGRP-2748); this class does that itself.
 */
final class PeerSocket extends Socket {

    /** Longest a handshake, or an accepted peer's first bytes, may take on loopback or a LAN. */
    static final int HANDSHAKE_TIMEOUT_MS = 1_000;

    private final SSLSocket ssl;
    private final byte[] replay;
    private InputStream in;

    private PeerSocket(SSLSocket ssl, byte[] replay) {
        this.ssl = ssl;
        this.replay = replay;
    }

    /** An unconnected client socket; connecting it completes the handshake. */
    static PeerSocket client(SSLSocket unconnected) {
        return new PeerSocket(unconnected, null);
    }

    /** An accepted, verified socket whose first {@code replay} bytes were already read from it. */
    static PeerSocket accepted(SSLSocket verified, byte[] replay) throws SocketException {
        verified.setSoLinger(true, 0);
        return new PeerSocket(verified, replay);
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        ssl.connect(endpoint, timeout);
        int before = ssl.getSoTimeout();
        ssl.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
        ssl.startHandshake();
        ssl.setSoTimeout(before);
        ssl.setSoLinger(true, 0);
    }

    /** One stream for the socket's life: a second call must not replay the preamble again. */
    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (in == null) {
            InputStream raw = ssl.getInputStream();
            in = replay == null ? raw : new SequenceInputStream(new ByteArrayInputStream(replay), raw);
        }
        return in;
    }

    @Override public void bind(SocketAddress bindpoint) throws IOException { ssl.bind(bindpoint); }
    @Override public InetAddress getInetAddress() { return ssl.getInetAddress(); }
    @Override public InetAddress getLocalAddress() { return ssl.getLocalAddress(); }
    @Override public int getPort() { return ssl.getPort(); }
    @Override public int getLocalPort() { return ssl.getLocalPort(); }
    @Override public SocketAddress getRemoteSocketAddress() { return ssl.getRemoteSocketAddress(); }
    @Override public SocketAddress getLocalSocketAddress() { return ssl.getLocalSocketAddress(); }
    @Override public SocketChannel getChannel() { return null; }
    @Override public OutputStream getOutputStream() throws IOException { return ssl.getOutputStream(); }
    @Override public void setTcpNoDelay(boolean on) throws SocketException { ssl.setTcpNoDelay(on); }
    @Override public boolean getTcpNoDelay() throws SocketException { return ssl.getTcpNoDelay(); }
    @Override public void setSoLinger(boolean on, int linger) throws SocketException { ssl.setSoLinger(on, linger); }
    @Override public int getSoLinger() throws SocketException { return ssl.getSoLinger(); }
    @Override public void sendUrgentData(int data) throws IOException { ssl.sendUrgentData(data); }
    @Override public void setOOBInline(boolean on) throws SocketException { ssl.setOOBInline(on); }
    @Override public boolean getOOBInline() throws SocketException { return ssl.getOOBInline(); }
    @Override public void setSoTimeout(int timeout) throws SocketException { ssl.setSoTimeout(timeout); }
    @Override public int getSoTimeout() throws SocketException { return ssl.getSoTimeout(); }
    @Override public void setSendBufferSize(int size) throws SocketException { ssl.setSendBufferSize(size); }
    @Override public int getSendBufferSize() throws SocketException { return ssl.getSendBufferSize(); }
    @Override public void setReceiveBufferSize(int size) throws SocketException { ssl.setReceiveBufferSize(size); }
    @Override public int getReceiveBufferSize() throws SocketException { return ssl.getReceiveBufferSize(); }
    @Override public void setKeepAlive(boolean on) throws SocketException { ssl.setKeepAlive(on); }
    @Override public boolean getKeepAlive() throws SocketException { return ssl.getKeepAlive(); }
    @Override public void setTrafficClass(int tc) throws SocketException { ssl.setTrafficClass(tc); }
    @Override public int getTrafficClass() throws SocketException { return ssl.getTrafficClass(); }
    @Override public void setReuseAddress(boolean on) throws SocketException { ssl.setReuseAddress(on); }
    @Override public boolean getReuseAddress() throws SocketException { return ssl.getReuseAddress(); }
    @Override public void close() throws IOException { ssl.close(); }
    @Override public void shutdownInput() throws IOException { ssl.shutdownInput(); }
    @Override public void shutdownOutput() throws IOException { ssl.shutdownOutput(); }
    @Override public boolean isConnected() { return ssl.isConnected(); }
    @Override public boolean isBound() { return ssl.isBound(); }
    @Override public boolean isClosed() { return ssl.isClosed(); }
    @Override public boolean isInputShutdown() { return ssl.isInputShutdown(); }
    @Override public boolean isOutputShutdown() { return ssl.isOutputShutdown(); }
    @Override public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        ssl.setPerformancePreferences(connectionTime, latency, bandwidth);
    }
    @Override public String toString() { return "PeerSocket[" + ssl + "]"; }
}
