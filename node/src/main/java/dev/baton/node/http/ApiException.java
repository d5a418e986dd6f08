package dev.baton.node.http;

import dev.baton.client.wire.ErrorBody;
import dev.baton.client.wire.ErrorCodes;
import dev.baton.client.wire.LeaderInfo;

/** An HTTP error answer: status, stable code and message (and, where useful, the leader or current revision). */
final class ApiException extends RuntimeException {
    final int status;
    final ErrorBody body;
    final String location;

    ApiException(int status, ErrorBody body, String location) {
        super(body.error() + ": " + body.message());
        this.status = status;
        this.body = body;
        this.location = location;
    }

    static ApiException of(int status, String code, String message) {
        return new ApiException(status, ErrorBody.of(code, message), null);
    }

    static ApiException badRequest(String code, String message) {
        return of(400, code, message);
    }

    static ApiException redirect(LeaderInfo leader, String location, String message) {
        return new ApiException(307, new ErrorBody(ErrorCodes.NOT_LEADER, message, leader, null), location);
    }

    static ApiException noLeader(String message) {
        return of(503, ErrorCodes.NO_LEADER, message);
    }
}
