package dev.baton.client.internal;

import dev.baton.client.AccessDeniedException;
import dev.baton.client.BatonException;
import dev.baton.client.InvalidRequestException;
import dev.baton.client.OutcomeUnknownException;
import dev.baton.client.RevisionMismatchException;
import dev.baton.client.ValueTooLargeException;
import dev.baton.client.wire.ErrorBody;
import dev.baton.client.wire.ErrorCodes;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** Turns a final non-2xx answer into the typed exception the caller sees. Pure. */
public final class ErrorMapping {

    private ErrorMapping() {}

    /** A 401/403 answer as the exception the caller sees, with the node's code and message. */
    public static AccessDeniedException accessDenied(Outcome.Answer answer, URI node) {
        Optional<ErrorBody> body = Json.errorBody(answer.body());
        String fallback = answer.status() == 401 ? ErrorCodes.UNAUTHORIZED : ErrorCodes.FORBIDDEN;
        return new AccessDeniedException(answer.status(), body.map(ErrorBody::error).filter(c -> !c.isEmpty()).orElse(fallback),
                body.map(ErrorBody::message).orElse("HTTP " + answer.status()), node);
    }

    /**
     * A 409 is a real mismatch even when an earlier attempt of the same write may have been applied:
     * the node de-duplicates by (session, sequence number), so a retry of a write that was applied
     * gets that write's first answer, never a conflict with itself.
     *
     * <p>A 410 session_expired is {@link SessionExpired}: this attempt was refused, not applied;
     * {@code mayHaveApplied} says whether an earlier attempt of the call may have been.
     */
    public static BatonException toException(Call<?> call, Outcome.Answer answer, URI node, List<String> attempts,
            boolean mayHaveApplied) {
        Optional<ErrorBody> body = Json.errorBody(answer.body());
        String code = body.map(ErrorBody::error).orElse("");
        String message = body.map(ErrorBody::message).orElse("");
        String described = node + " answered " + RetryPolicy.describe(answer.status(), body);
        int status = answer.status();

        if (status == 401 || status == 403) {
            return accessDenied(answer, node);
        }
        if (status == 409 && ErrorCodes.REVISION_MISMATCH.equals(code)) {
            long current = body.map(ErrorBody::currentRevision).orElse(-1L);
            return new RevisionMismatchException(call.key(), call.expectedRevision(), current, node);
        }
        if (status == 410 && ErrorCodes.SESSION_EXPIRED.equals(code) && call.sessionSeq() != null) {
            return new SessionExpired(call.sessionSeq().session(), mayHaveApplied, described, attempts);
        }
        if (status == 413 || ErrorCodes.VALUE_TOO_LARGE.equals(code)) {
            return new ValueTooLargeException(call.key(), call.body() == null ? 0 : call.body().length, node, message);
        }
        if (status == 400) {
            return new InvalidRequestException(code.isEmpty() ? "bad_request" : code,
                    message.isEmpty() ? "HTTP 400" : message, node);
        }
        if (status >= 500 && call.write()) {
            return new OutcomeUnknownException(call.operation(), call.key(), described, attempts, null);
        }
        return new BatonException(call.operation() + " of key '" + call.key() + "' failed: " + described);
    }
}
