package dev.baton.node.raft;

import dev.baton.node.peer.MemberDirectory;
import dev.baton.node.peer.PeerCredentials;
import dev.baton.node.peer.PeerRefusals;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jgroups.util.DefaultSocketFactory;

/**
 * The cluster transport's sockets under peer TLS: client sockets that finish a TLS 1.3 handshake
 * while connecting ({@link PeerSocket}), and a server socket that accepts verified members only
 * ({@link VerifyingServerSocket}). Both sides judge the other's certificate with {@link
 * dev.baton.node.peer.MemberTrustManager}, so identity is checked in both directions.
 *
 * <p>Used instead of JGroups' own {@code TLS} component, which builds the same SSL sockets but has
 * no place to check a certificate against the address it is used from, nor to refuse a peer
 * without JGroups logging each retry. NIO channels (FD_SOCK2's server) are not TLS: see {@link
 * StackConfig} for why that socket needs none.
 */
final class PeerSocketFactory extends DefaultSocketFactory {

    PeerSocketFactory(PeerCredentials credentials, MemberDirectory directory, PeerRefusals refusals) {
        super(new Client(credentials.context()), new Server(credentials.context(), directory, refusals));
    }

    private static final class Client extends SocketFactory {
        private final SSLContext context;

        Client(SSLContext context) {
            this.context = context;
        }

        @Override
        public Socket createSocket() throws IOException {
            SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket();
            SSLParameters params = ssl.getSSLParameters();
            params.setProtocols(PeerCredentials.PROTOCOLS);
            ssl.setSSLParameters(params);
            return PeerSocket.client(ssl);
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return createSocket(InetAddress.getByName(host), port);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            Socket s = createSocket();
            s.connect(new InetSocketAddress(host, port));
            return s;
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return createSocket(InetAddress.getByName(host), port, localHost, localPort);
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress localHost, int localPort) throws IOException {
            Socket s = createSocket();
            s.bind(new InetSocketAddress(localHost, localPort));
            s.connect(new InetSocketAddress(host, port));
            return s;
        }
    }

    private static final class Server extends ServerSocketFactory {
        private final SSLContext context;
        private final MemberDirectory directory;
        private final PeerRefusals refusals;

        Server(SSLContext context, MemberDirectory directory, PeerRefusals refusals) {
            this.context = context;
            this.directory = directory;
            this.refusals = refusals;
        }

        @Override
        public ServerSocket createServerSocket() throws IOException {
            return new VerifyingServerSocket(context, directory, refusals);
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return createServerSocket(port, 50, null);
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            return createServerSocket(port, backlog, null);
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddr) throws IOException {
            ServerSocket s = createServerSocket();
            s.bind(new InetSocketAddress(bindAddr, port), backlog);
            return s;
        }
    }
}
