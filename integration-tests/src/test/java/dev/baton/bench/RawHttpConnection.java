package dev.baton.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 keep-alive connection with one request in flight, as wrk drives a server: the
 * request goes out in one write, the answer parsed only as far as the status line and
 * {@code Content-Length} (or chunked framing), its body read and dropped. Written for the load
 * generator, so that it costs little CPU beside the nodes on a 2-core machine; not a general client
 * (no redirects, no pipelining; TLS only with an https base URL in {@link BenchSecurity secure mode}).
 *
 * <p>Not thread-safe: one caller thread owns a connection. A failed exchange closes the socket;
 * the next call opens a new one.
 */
final class RawHttpConnection implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MS = 2_000;
    /** Longer than a node's request timeout, so that the node answers (or fails) first. */
    private static final int READ_TIMEOUT_MS = 15_000;

    private final String host;
    private final int port;
    private final byte[] hostHeader;
    private final byte[] line = new byte[8192];
    private final byte[] drain = new byte[8192];
    /** The request being written: {@code buffer[0..request)}. */
    private byte[] buffer = new byte[512];
    private int request;
    private Socket socket;
    /** The bench CA's context for an https base URL, else null (plain TCP). */
    private final javax.net.ssl.SSLContext tls;
    private InputStream in;
    private OutputStream out;

    RawHttpConnection(URI base) {
        this.host = base.getHost();
        this.tls = "https".equals(base.getScheme()) ? BenchSecurity.context() : null;
        if ("https".equals(base.getScheme()) && tls == null) {
            throw new IllegalArgumentException(base + ": https needs the benchmark's secure mode");
        }
        this.port = base.getPort() < 0 ? (tls != null ? 443 : 80) : base.getPort();
        String token = BenchSecurity.token();
        this.hostHeader = ("Host: " + host + ":" + port + "\r\n" + (token == null ? "" : "Authorization: Bearer " + token + "\r\n"))
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code PUT path} with {@code body}; the status code. */
    int put(String pathAndQuery, byte[] body) throws IOException {
        return exchange("PUT ", pathAndQuery, body);
    }

    /** {@code GET path}; the status code. */
    int get(String pathAndQuery) throws IOException {
        return exchange("GET ", pathAndQuery, null);
    }

    /** The whole request goes out in one write (one segment with TCP_NODELAY), the answer is read back. */
    private int exchange(String method, String pathAndQuery, byte[] body) throws IOException {
        try {
            connectIfNeeded();
            request = 0;
            ascii(method);
            ascii(pathAndQuery);
            ascii(" HTTP/1.1\r\n");
            bytes(hostHeader);
            if (body != null) {
                ascii("Content-Length: ");
                ascii(Integer.toString(body.length));
                ascii("\r\n\r\n");
                bytes(body);
            } else {
                ascii("\r\n");
            }
            out.write(buffer, 0, request);
            return readResponse();
        } catch (IOException | RuntimeException e) {
            close();
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buffer[request++] = (byte) s.charAt(i);
        }
    }

    private void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buffer, request, b.length);
        request += b.length;
    }

    private void ensure(int more) {
        if (request + more > buffer.length) {
            buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, request + more));
        }
    }

    private void connectIfNeeded() throws IOException {
        if (socket != null) {
            return;
        }
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(READ_TIMEOUT_MS);
        s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        if (tls != null) {
            javax.net.ssl.SSLSocket ssl = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket(s, host, port, true);
            ssl.startHandshake();
            s = ssl;
        }
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        out = s.getOutputStream();
    }

    /** Status line, headers, body; keeps the connection unless the server said it closes. */
    private int readResponse() throws IOException {
        int n = readLine();
        // "HTTP/1.1 200 OK"
        if (n < 12 || line[8] != ' ') {
            throw new IOException("not an HTTP status line: " + new String(line, 0, n, StandardCharsets.US_ASCII));
        }
        int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        long contentLength = 0;
        boolean chunked = false;
        boolean closes = false;
        while ((n = readLine()) > 0) {
            if (startsWithIgnoreCase(n, "content-length:")) {
                contentLength = Long.parseLong(value(n, "content-length:".length()));
            } else if (startsWithIgnoreCase(n, "transfer-encoding:")) {
                chunked = value(n, "transfer-encoding:".length()).equalsIgnoreCase("chunked");
            } else if (startsWithIgnoreCase(n, "connection:")) {
                closes = value(n, "connection:".length()).equalsIgnoreCase("close");
            }
        }
        if (chunked) {
            for (long size; (size = Long.parseLong(value(readLine(), 0).split(";")[0], 16)) > 0; ) {
                skip(size);
                readLine();
            }
            while (readLine() > 0) {
                // trailers
            }
        } else {
            skip(contentLength);
        }
        if (closes) {
            close();
        }
        return status;
    }

    /** One line without its CRLF into {@link #line}; its length. */
    private int readLine() throws IOException {
        int n = 0;
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new EOFException("connection closed by " + host + ":" + port);
            }
            if (n == line.length) {
                throw new IOException("header line longer than " + line.length + " bytes");
            }
            line[n++] = (byte) b;
        }
        return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
    }

    private void skip(long bytes) throws IOException {
        for (long left = bytes; left > 0; ) {
            int r = in.read(drain, 0, (int) Math.min(drain.length, left));
            if (r < 0) {
                throw new EOFException("connection closed in a body by " + host + ":" + port);
            }
            left -= r;
        }
    }

    private boolean startsWithIgnoreCase(int n, String prefix) {
        if (n < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.toLowerCase(line[i]) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private String value(int n, int from) {
        return new String(line, from, n - from, StandardCharsets.US_ASCII).trim();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing after a failure: nothing left to do
            }
            socket = null;
            in = null;
            out = null;
        }
    }
}
