package dev.baton.client.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Body of every non-2xx answer. {@code error} is a stable machine-readable code (see
 * {@link ErrorCodes}); {@code message} is for people. {@code leader} names the active when the
 * answer is a redirect or "not the leader"; {@code currentRevision} is set on a compare-and-set
 * conflict.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, String message, LeaderInfo leader, Long currentRevision) {

    public static ErrorBody of(String error, String message) {
        return new ErrorBody(error, message, null, null);
    }
}
