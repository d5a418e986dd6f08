package dev.baton.node.http;

import dev.baton.client.wire.ErrorBody;
import dev.baton.client.wire.ErrorCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writing answers on an {@link HttpCall}: JSON bodies, error answers, the body-size limit. */
final class Exchanges {

    private static final Logger log = LoggerFactory.getLogger(Exchanges.class);

    private Exchanges() {}

    static void json(HttpCall call, int status, Object body) {
        call.send(status, "application/json", Json.bytes(body));
    }

    static void error(HttpCall call, ApiException e) {
        if (e.location != null) {
            call.setHeader("Location", e.location);
        }
        json(call, e.status, e.body);
    }

    /** The URL of this same request (path and query) on another node. */
    static String sameRequestOn(String baseUrl, HttpCall call) {
        String query = call.rawQuery();
        return baseUrl + call.rawPath() + (query == null ? "" : "?" + query);
    }

    /**
     * Runs {@code body}, which answers {@code call}; an {@link ApiException} it throws becomes that
     * error answer, anything else a 500. For answers written after an asynchronous step completes.
     */
    static void answering(HttpCall call, Runnable body) {
        try {
            body.run();
        } catch (ApiException e) {
            error(call, e);
        } catch (RuntimeException e) {
            internalError(call, e);
        }
    }

    static void internalError(HttpCall call, Throwable t) {
        log.error("internal error answering {} {}", call.method(), call.rawPath(), t);
        json(call, 500, ErrorBody.of(ErrorCodes.INTERNAL, t.toString()));
    }

    /**
     * Pure: refuses a declared {@code Content-Length} (null: none) above {@code max} with 413, and
     * one that is not a number with 400; adapters call it before reading the body.
     */
    static void checkDeclaredLength(String declared, int max) {
        if (declared == null) {
            return;
        }
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

    /** The 413 for a body of {@code n} bytes (or more) over the limit {@code max}. */
    static ApiException tooLarge(long n, int max) {
        return ApiException.of(413, ErrorCodes.VALUE_TOO_LARGE,
                "value of " + (n > max ? "more than " + max : n) + " bytes exceeds the limit of " + max + " bytes (--max-value-bytes)");
    }
}
