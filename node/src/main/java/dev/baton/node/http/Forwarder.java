package dev.baton.node.http;

import dev.baton.client.wire.ErrorBody;
import dev.baton.client.wire.ErrorCodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;

/**
 * Active-active mode: a non-active node forwards a write to the ACTIVE and relays its answer, so
 * clients may send writes to any node. The answer comes only from the ACTIVE (after commit); if
 * the forward fails, the client gets 503 and, as for any write whose answer was lost, retries it
 * with the same sequence number (the ACTIVE applies it at most once).
 */
final class Forwarder {

    /** Authorization too: the ACTIVE checks the token again (this node already did; each node decides for itself). */
    private static final List<String> FORWARDED_HEADERS = List.of(
            KvHandler.CLIENT_ID_HEADER, KvHandler.SEQ_HEADER, KvHandler.ACKED_BELOW_HEADER, "Content-Type", "Authorization");

    private final HttpClient http;
    private final Executor responder;
    private final long timeoutMs;

    /** @param tls client TLS towards the ACTIVE's HTTPS (trusts the cluster's CA); null = plain HTTP */
    Forwarder(Executor responder, long timeoutMs, SSLContext tls) {
        this.responder = responder;
        this.timeoutMs = timeoutMs;
        this.http = PeerHttp.client(tls, responder, Duration.ofMillis(Math.min(timeoutMs, 2_000)));
    }

    void forward(HttpCall call, String leaderUrl, byte[] body) {
        String query = call.rawQuery();
        URI target = URI.create(leaderUrl + call.rawPath() + (query == null ? "" : "?" + query));
        HttpRequest.Builder b = HttpRequest.newBuilder(target)
                .timeout(Duration.ofMillis(timeoutMs))
                .method(call.method(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String h : FORWARDED_HEADERS) {
            String v = call.header(h);
            if (v != null) {
                b.header(h, v);
            }
        }
        http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray()).whenCompleteAsync((rsp, error) -> {
            if (error != null) {
                Exchanges.json(call, 503, ErrorBody.of(ErrorCodes.TIMEOUT, "forwarding to the active at " + leaderUrl
                        + " failed (" + error.getClass().getSimpleName() + "); the write may or may not have been applied: retry it with the same "
                        + KvHandler.SEQ_HEADER));
                return;
            }
            rsp.headers().firstValue("Location").ifPresent(v -> call.setHeader("Location", v));
            rsp.headers().firstValue("WWW-Authenticate").ifPresent(v -> call.setHeader("WWW-Authenticate", v));
            call.setHeader("Baton-Forwarded-To", leaderUrl);
            call.send(rsp.statusCode(), rsp.headers().firstValue("Content-Type").orElse("application/json"), rsp.body());
        }, responder);
    }
}
