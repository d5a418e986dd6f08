package dev.baton.node.http;

import dev.baton.client.wire.ErrorBody;
import dev.baton.client.wire.ErrorCodes;
import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.SessionInfo;
import dev.baton.client.wire.WriteResult;
import dev.baton.node.statemachine.Result;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Pure mapping from state-machine answers to HTTP status and JSON body. */
final class ResultMapping {

    /** An HTTP answer: status and the object to serialize as JSON. */
    record HttpAnswer(int status, Object body) {}

    private ResultMapping() {}

    static HttpAnswer write(String key, long term, Result result) {
        if (result instanceof Result.Written w) {
            return new HttpAnswer(200, new WriteResult(key, w.revision(), w.previousRevision(), w.existed(), term));
        }
        if (result instanceof Result.RevisionMismatch m) {
            return new HttpAnswer(409, new ErrorBody(ErrorCodes.REVISION_MISMATCH,
                    "key '" + key + "' is at revision " + m.currentRevision() + (m.currentRevision() == 0 ? " (absent)" : ""),
                    null, m.currentRevision()));
        }
        if (result instanceof Result.Rejected r) {
            return new HttpAnswer(400, ErrorBody.of(ErrorCodes.INVALID_PARAMETER, r.reason()));
        }
        if (result instanceof Result.UnknownSession u) {
            return new HttpAnswer(410, ErrorBody.of(ErrorCodes.SESSION_EXPIRED, u.reason() + "; this write was not"
                    + " applied (an earlier attempt of it may have been); open a new session with POST /v1/sessions"));
        }
        return unexpected(result);
    }

    static HttpAnswer session(Result result) {
        if (result instanceof Result.SessionOpened o) {
            return new HttpAnswer(200, new SessionInfo(o.sessionId(), o.timeoutMs()));
        }
        return unexpected(result);
    }

    static HttpAnswer read(String key, Result result) {
        if (result instanceof Result.Value v) {
            return new HttpAnswer(200, new KvEntry(key, text(v.value()), v.revision()));
        }
        if (result instanceof Result.NotFound) {
            return new HttpAnswer(404, ErrorBody.of(ErrorCodes.KEY_NOT_FOUND, "key '" + key + "' does not exist"));
        }
        return unexpected(result);
    }

    static HttpAnswer list(Result result) {
        if (result instanceof Result.Listing l) {
            List<KvEntry> out = new ArrayList<>(l.entries().size());
            for (Result.Entry e : l.entries()) {
                out.add(new KvEntry(e.key(), text(e.value()), e.revision()));
            }
            return new HttpAnswer(200, out);
        }
        return unexpected(result);
    }

    private static HttpAnswer unexpected(Result result) {
        return new HttpAnswer(500, ErrorBody.of(ErrorCodes.INTERNAL, "unexpected state machine answer " + result));
    }

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }
}
