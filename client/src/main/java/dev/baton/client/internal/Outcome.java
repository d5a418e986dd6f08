package dev.baton.client.internal;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;

/** What one HTTP attempt produced: an answer (any status) or a transport failure. Immutable. */
public sealed interface Outcome permits Outcome.Answer, Outcome.Failed {

    /** A node answered with {@code status}. */
    record Answer(int status, HttpHeaders headers, byte[] body) implements Outcome {
        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }

    /** How far a failed attempt got; decides whether a write may have been applied. */
    enum FailureKind {
        /** No connection was established: the request never reached the node. */
        NOT_SENT,
        /** The request may have been delivered, but no answer came in time. */
        TIMED_OUT,
        /** The connection broke after (maybe) sending the request. */
        BROKEN
    }

    /** The attempt failed without an answer. */
    record Failed(FailureKind kind, String reason, Throwable cause) implements Outcome {

        /** Classifies a transport exception (possibly wrapped by a CompletableFuture). */
        public static Failed of(Throwable error) {
            Throwable t = error;
            while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
                t = t.getCause();
            }
            if (t instanceof HttpConnectTimeoutException) {
                return new Failed(FailureKind.NOT_SENT, "connect timed out", t);
            }
            if (t instanceof ConnectException) {
                return new Failed(FailureKind.NOT_SENT, "connection refused" + detail(t), t);
            }
            if (t instanceof SSLHandshakeException) {
                // the request goes only after the handshake: it was not sent
                return new Failed(FailureKind.NOT_SENT, "TLS handshake failed" + detail(t), t);
            }
            if (t instanceof HttpTimeoutException) {
                return new Failed(FailureKind.TIMED_OUT, "request timed out", t);
            }
            return new Failed(FailureKind.BROKEN, t.getClass().getSimpleName() + detail(t), t);
        }

        private static String detail(Throwable t) {
            return t.getMessage() == null || t.getMessage().isBlank() ? "" : " (" + t.getMessage() + ")";
        }
    }
}
