package dev.baton.client.internal;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One logical call routed to the active. Every attempt of it (redirects, retries) sends the same
 * request; for a write that includes the same {@code Baton-Request-Seq}, which is what lets a node
 * de-duplicate a write retried across a failover.
 *
 * @param operation "get", "put", ... for messages
 * @param pathAndQuery encoded, starting with '/'
 * @param body request body, or null for none
 * @param write true for PUT/DELETE (their outcome may be unknown after a lost answer)
 * @param key the key the call is about ("" for list), for messages and exceptions
 * @param expectedRevision for compare-and-set, else -1
 * @param sessionSeq a write's session and sequence number (null: no session headers, as for reads)
 * @param onSuccess turns a 2xx answer into the result
 * @param onKeyNotFound the result for 404 key_not_found, or null if that is an error
 * @param changesLeadership true for a call that itself moves leadership (a switchover): a newer
 *     leader showing up while it runs is its own effect, not a reason to abandon the attempt and
 *     send the call again elsewhere (that would start a second switchover)
 */
public record Call<T>(
        String operation,
        String method,
        String pathAndQuery,
        byte[] body,
        boolean write,
        String key,
        long expectedRevision,
        ClientSession.Seq sessionSeq,
        AnswerReader<T> onSuccess,
        Supplier<T> onKeyNotFound,
        boolean changesLeadership) {

    /** The session id the cluster issued ({@code POST /v1/sessions}). */
    public static final String CLIENT_ID_HEADER = "Baton-Client-Id";
    public static final String REQUEST_SEQ_HEADER = "Baton-Request-Seq";
    /** Every write of this client numbered below this value has had its final answer. */
    public static final String ACKED_BELOW_HEADER = "Baton-Acked-Below";
    /** On a stale read: the answering node's applied log index. */
    public static final String APPLIED_INDEX_HEADER = "Baton-Applied-Index";
    /** On a stale read: upper bound in ms on how far the node is behind the active; -1 = unknown. */
    public static final String STALENESS_MS_HEADER = "Baton-Staleness-Ms";

    /** Reads a successful answer; may throw IOException for an unreadable body. */
    @FunctionalInterface
    public interface AnswerReader<T> {
        T read(Outcome.Answer answer) throws java.io.IOException;
    }

    /** A call that does not move leadership itself. */
    public Call(String operation, String method, String pathAndQuery, byte[] body, boolean write, String key,
            long expectedRevision, ClientSession.Seq sessionSeq, AnswerReader<T> onSuccess, Supplier<T> onKeyNotFound) {
        this(operation, method, pathAndQuery, body, write, key, expectedRevision, sessionSeq, onSuccess, onKeyNotFound, false);
    }

    public Call {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathAndQuery, "pathAndQuery");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(onSuccess, "onSuccess");
    }

    /** This call with {@code param} (already encoded, e.g. {@code stale=true}) added to the query. */
    public Call<T> withQueryParameter(String param) {
        String path = pathAndQuery + (pathAndQuery.contains("?") ? "&" : "?") + param;
        return new Call<>(operation, method, path, body, write, key, expectedRevision, sessionSeq, onSuccess,
                onKeyNotFound, changesLeadership);
    }

    /**
     * The request of one attempt. A write in a session sends the session id, its number and {@code
     * Baton-Acked-Below}, read afresh for every attempt (always at most this write's own number).
     */
    public HttpRequest request(URI node, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(NodeUrls.resolve(node, pathAndQuery)).timeout(timeout);
        if (body != null) {
            b.header("Content-Type", "application/octet-stream");
            b.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (sessionSeq != null) {
            long seq = sessionSeq.seq();
            b.header(CLIENT_ID_HEADER, sessionSeq.session().id());
            b.header(REQUEST_SEQ_HEADER, Long.toString(seq));
            b.header(ACKED_BELOW_HEADER, Long.toString(Math.min(sessionSeq.session().seqs().ackedBelow(), seq)));
        }
        return b.build();
    }
}
