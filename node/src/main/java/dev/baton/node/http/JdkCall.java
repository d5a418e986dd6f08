package dev.baton.node.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link HttpCall} over an {@link HttpExchange}; every answer closes the exchange exactly once. */
final class JdkCall implements HttpCall {

    private static final Logger log = LoggerFactory.getLogger(JdkCall.class);

    private final HttpExchange ex;

    JdkCall(HttpExchange ex) {
        this.ex = ex;
    }

    @Override
    public String method() {
        return ex.getRequestMethod();
    }

    @Override
    public String rawPath() {
        return ex.getRequestURI().getRawPath();
    }

    @Override
    public String rawQuery() {
        return ex.getRequestURI().getRawQuery();
    }

    @Override
    public String header(String name) {
        return ex.getRequestHeaders().getFirst(name);
    }

    @Override
    public byte[] body(int max) throws IOException {
        Exchanges.checkDeclaredLength(header("Content-Length"), max);
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw Exchanges.tooLarge(bytes.length, max);
            }
            return bytes;
        }
    }

    @Override
    public void setHeader(String name, String value) {
        ex.getResponseHeaders().set(name, value);
    }

    @Override
    public void send(int status, String contentType, byte[] body) {
        try {
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            log.debug("client went away before the answer to {} {} was sent: {}", method(), rawPath(), e.toString());
        } finally {
            ex.close();
        }
    }

    @Override
    public EventStream stream(String contentType) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        try {
            ex.sendResponseHeaders(200, 0);
        } catch (IOException e) {
            ex.close();
            throw e;
        }
        OutputStream out = ex.getResponseBody();
        return new EventStream() {
            @Override
            public boolean write(String text) {
                try {
                    out.write(text.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    return true;
                } catch (IOException e) {
                    log.debug("stream to {} closed: {}", remote(), e.toString());
                    ex.close();
                    return false;
                }
            }

            @Override
            public void close() {
                ex.close();
            }
        };
    }

    @Override
    public String remote() {
        return String.valueOf(ex.getRemoteAddress());
    }
}
