package dev.baton.node.peer;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Judges a peer's certificate during the handshake, in both directions: first the PKIX chain to the
 * cluster CA (the JDK's trust manager), then the identity rule of {@link MemberDirectory} against
 * the socket's remote address. A refusal aborts the handshake before one byte of cluster data is
 * exchanged. A resumed session skips this class: inbound, the accepting socket checks the session
 * again; outbound, the JDK resumes only with the host and port the session was first verified for,
 * and the outbound rule depends on nothing else.
 *
 * <p>{@link #getAcceptedIssuers()} is empty on purpose: a server that names its CA makes a client
 * whose certificate is from another CA send none, and the refusal would only say "no client
 * certificate"; this way the peer sends what it has and the log says whose certificate it was.
 *
 * <p>Outbound refusals are logged here (the transport only sees a failed connect); inbound ones
 * are logged by the accepting socket, which also sees the failures that never reach a certificate.
 * Only socket-based handshakes are supported: without a socket there is no remote address to bind.
 */
public final class MemberTrustManager extends X509ExtendedTrustManager {

    private final X509TrustManager pkix;
    private final MemberDirectory directory;
    private final PeerRefusals refusals;

    public MemberTrustManager(X509TrustManager pkix, MemberDirectory directory, PeerRefusals refusals) {
        this.pkix = pkix;
        this.directory = directory;
        this.refusals = refusals;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        try {
            pkix.checkClientTrusted(chain, authType);
        } catch (CertificateException e) {
            throw new PeerRefusedException(Verdict.refuse(Refusal.UNTRUSTED_CERTIFICATE, describe(chain) + ": " + e.getMessage()));
        }
        Verdict v = directory.inbound(CertificateNames.of(chain[0]), socket.getInetAddress());
        if (!v.accepted()) {
            throw new PeerRefusedException(v);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        Verdict v;
        try {
            pkix.checkServerTrusted(chain, authType);
            InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
            v = directory.outbound(CertificateNames.of(chain[0]), remote.getAddress(), remote.getPort());
        } catch (CertificateException e) {
            v = Verdict.refuse(Refusal.UNTRUSTED_CERTIFICATE, describe(chain) + ": " + e.getMessage());
        }
        if (!v.accepted()) {
            refusals.refused(v, socket.getInetAddress());
            throw new PeerRefusedException(v);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("peer TLS runs on sockets only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("peer TLS runs on sockets only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("peer TLS needs the socket to check the peer's address");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("peer TLS needs the socket to check the peer's address");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    private static String describe(X509Certificate[] chain) {
        return chain == null || chain.length == 0 ? "no certificate" : CertificateNames.describe(chain[0]);
    }
}
