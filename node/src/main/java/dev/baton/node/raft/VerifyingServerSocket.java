package dev.baton.node.raft;

import dev.baton.node.peer.MemberDirectory;
import dev.baton.node.peer.CertificateNames;
import dev.baton.node.peer.MemberTrustManager;
import dev.baton.node.peer.PeerCredentials;
import dev.baton.node.peer.PeerRefusals;
import dev.baton.node.peer.PeerRefusedException;
import dev.baton.node.peer.Refusal;
import dev.baton.node.peer.Verdict;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster transport's listening socket under peer TLS. {@link #accept()} returns only peers
 * that passed every check, in this order, and refuses the others without the transport noticing
 * (so JGroups logs nothing and retries nothing):
 *
 * <ol>
 *   <li>the first byte opens a TLS handshake record (else {@link Refusal#NOT_TLS}); a connection
 *       closed before any byte is {@link PortProbe}'s "is it alive?" connect, closed quietly;
 *   <li>the handshake completes with a client certificate, within {@link
 *       PeerSocket#HANDSHAKE_TIMEOUT_MS}; {@link MemberTrustManager} checks the chain and the
 *       identity rule (member named, from that member's host) inside it, and the identity rule is
 *       applied again to the session's certificate afterwards, since a resumed session (measured:
 *       a member reconnecting after a view change) does not consult the trust manager;
 *   <li>the transport address the peer then claims (JGroups' connection preamble, by which answers
 *       are routed back over this connection) is that member's configured address.
 * </ol>
 *
 * Runs on the transport's single acceptor thread, as JGroups' own preamble read does: a peer that
 * stalls holds further accepts for at most the handshake timeout.
 */
final class VerifyingServerSocket extends ServerSocket {

    private static final Logger log = LoggerFactory.getLogger(VerifyingServerSocket.class);

    private static final int TLS_HANDSHAKE_RECORD = 0x16;
    /** The content type of a TLS alert record (RFC 8446 5.1). */
    private static final int TLS_ALERT_RECORD = 0x15;

    private final SSLContext context;
    private final MemberDirectory directory;
    private final PeerRefusals refusals;

    VerifyingServerSocket(SSLContext context, MemberDirectory directory, PeerRefusals refusals) throws IOException {
        this.context = context;
        this.directory = directory;
        this.refusals = refusals;
    }

    @Override
    public Socket accept() throws IOException {
        while (true) {
            Socket plain = super.accept(); // closing the server socket ends the loop with an exception, as JGroups expects
            Socket verified = verify(plain);
            if (verified != null) {
                return verified;
            }
        }
    }

    private Socket verify(Socket plain) {
        InetAddress from = plain.getInetAddress();
        try {
            plain.setSoTimeout(PeerSocket.HANDSHAKE_TIMEOUT_MS);
            int first = plain.getInputStream().read();
            if (first < 0) {
                closeQuietly(plain); // connected and closed without a byte: a port probe
                return null;
            }
            if (first == TLS_ALERT_RECORD) {
                // A TLS client that closes before its handshake sends a close_notify alert first: a
                // member dropping the second of two connections opened at once (seen on a local
                // secure cluster at start-up). Not an attempt to join; nothing to report.
                log.debug("connection from {} closed before its TLS handshake", from);
                closeQuietly(plain);
                return null;
            }
            if (first != TLS_HANDSHAKE_RECORD) {
                return refuse(plain, Verdict.refuse(Refusal.NOT_TLS, String.format("first byte 0x%02x is no TLS handshake record", first)), from);
            }
            SSLSocket ssl = (SSLSocket) context.getSocketFactory()
                    .createSocket(plain, new ByteArrayInputStream(new byte[] {(byte) first}), true);
            ssl.setUseClientMode(false);
            SSLParameters params = ssl.getSSLParameters();
            params.setProtocols(PeerCredentials.PROTOCOLS);
            params.setNeedClientAuth(true);
            ssl.setSSLParameters(params);
            ssl.startHandshake();
            // Again after the handshake, from the session: a resumed TLS 1.3 session (a member
            // reconnecting) skips the trust manager, and must still come from its member's host.
            Verdict who = directory.inbound(CertificateNames.of(peerCertificate(ssl.getSession())), from);
            if (!who.accepted()) {
                return refuse(ssl, who, from);
            }
            String memberId = who.memberId();
            TransportPreamble preamble = TransportPreamble.read(ssl.getInputStream());
            if (preamble == null) {
                return refuse(ssl, Verdict.refuse(Refusal.HANDSHAKE_FAILED, "no JGroups transport preamble after the handshake"), from);
            }
            Verdict claimed = directory.peerAddress(memberId, preamble.host(), preamble.port());
            if (!claimed.accepted()) {
                return refuse(ssl, claimed, from);
            }
            ssl.setSoTimeout(0);
            return PeerSocket.accepted(ssl, preamble.bytes());
        } catch (SocketTimeoutException e) {
            return refuse(plain, Verdict.refuse(Refusal.HANDSHAKE_FAILED, "no handshake within " + PeerSocket.HANDSHAKE_TIMEOUT_MS + " ms"), from);
        } catch (SSLException e) {
            PeerRefusedException refused = PeerRefusedException.find(e);
            return refuse(plain, refused != null ? refused.verdict() : Verdict.refuse(Refusal.HANDSHAKE_FAILED, explain(e)), from);
        } catch (IOException e) {
            // Closed or reset by the peer, not refused by us: a member's transport drops the second
            // of two connections opened at once, right after its handshake (measured: "Broken pipe"
            // when this side sent its TLS 1.3 session ticket). Nothing to report.
            log.debug("connection from {} closed during the handshake: {}", from, e.toString());
            closeQuietly(plain);
            return null;
        }
    }

    private static X509Certificate peerCertificate(SSLSession session) throws SSLPeerUnverifiedException {
        Certificate[] chain = session.getPeerCertificates();
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate x)) {
            throw new SSLPeerUnverifiedException("no X.509 peer certificate");
        }
        return x;
    }

    private Socket refuse(Socket socket, Verdict verdict, InetAddress from) {
        refusals.refused(verdict, from);
        closeQuietly(socket);
        return null;
    }

    /** The JDK's handshake messages, with the one that usually means "another CA" spelled out. */
    private static String explain(IOException e) {
        String m = String.valueOf(e.getMessage());
        if (e instanceof SSLException && (m.contains("certificate_unknown") || m.contains("unknown_ca") || m.contains("bad_certificate"))) {
            return "the peer does not trust this node's certificate (is it from another CA?): " + m;
        }
        if (m.contains("Empty client certificate chain") || m.contains("certificate_required")) {
            return "the peer sent no client certificate: " + m;
        }
        if (e instanceof SSLPeerUnverifiedException) {
            return "no peer certificate in the session: " + m;
        }
        return e.getClass().getSimpleName() + ": " + m;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a refused connection: nothing left to do
        }
    }
}
