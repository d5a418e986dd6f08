package dev.baton.node.http;

import com.sun.net.httpserver.HttpExchange;
import dev.baton.client.wire.ErrorBody;
import dev.baton.client.wire.ErrorCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writing answers on an {@link HttpExchange}; every answer closes the exchange exactly once. */
final class Exchanges {

    private static final Logger log = LoggerFactory.getLogger(Exchanges.class);

    private Exchanges() {}

    static void json(HttpExchange ex, int status, Object body) {
        send(ex, status, "application/json", Json.bytes(body));
    }

    static void error(HttpExchange ex, ApiException e) {
        if (e.location != null) {
            ex.getResponseHeaders().set("Location", e.location);
        }
        json(ex, e.status, e.body);
    }

    /** The URL of this same request (path and query) on another node. */
    static String sameRequestOn(String baseUrl, HttpExchange ex) {
        String query = ex.getRequestURI().getRawQuery();
        return baseUrl + ex.getRequestURI().getRawPath() + (query == null ? "" : "?" + query);
    }

    /**
     * Runs {@code body}, which answers {@code ex}; an {@link ApiException} it throws becomes that
     * error answer, anything else a 500. For answers written after an asynchronous step completes.
     */
    static void answering(HttpExchange ex, Runnable body) {
        try {
            body.run();
        } catch (ApiException e) {
            error(ex, e);
        } catch (RuntimeException e) {
            internalError(ex, e);
        }
    }

    static void internalError(HttpExchange ex, Throwable t) {
        log.error("internal error answering {} {}", ex.getRequestMethod(), ex.getRequestURI(), t);
        json(ex, 500, ErrorBody.of(ErrorCodes.INTERNAL, t.toString()));
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] body) {
        try {
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            log.debug("client went away before the answer to {} {} was sent: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
        } finally {
            ex.close();
        }
    }

    /** Reads the request body, refusing more than {@code max} bytes with 413. */
    static byte[] body(HttpExchange ex, int max) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long n;
            try {
                n = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(ErrorCodes.INVALID_PARAMETER, "Content-Length '" + declared + "' is not a number");
            }
            if (n > max) {
                throw tooLarge(n, max);
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw tooLarge(bytes.length, max);
            }
            return bytes;
        }
    }

    private static ApiException tooLarge(long n, int max) {
        return ApiException.of(413, ErrorCodes.VALUE_TOO_LARGE,
                "value of " + (n > max ? "more than " + max : n) + " bytes exceeds the limit of " + max + " bytes (--max-value-bytes)");
    }
}
