package dev.baton.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import dev.baton.client.wire.MemberInfo;
import dev.baton.client.wire.NodeStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;

/**
 * {@code GET /v1/cluster}: every member's own {@code /v1/status}, asked by this node in parallel,
 * for the web page (a browser may not ask the other nodes itself: they are other origins). A
 * member that does not answer within {@code timeoutMs} is reported unreachable; the call never
 * holds an HTTP worker (the requests are asynchronous and answered on {@code responder}).
 *
 * <p>The caller's {@code Authorization} header travels with each request: every node checks the
 * token itself, as for forwarded writes. A member's status is passed on as the JSON it sent, so
 * fields this node does not know (a newer node's) reach the page.
 */
final class ClusterProbe {

    /** Long enough for a busy node on a LAN, short enough that a dead one does not stall the page. */
    static final long DEFAULT_TIMEOUT_MS = 1_500;

    /** One member as this node reached it: its status, or why there is none. */
    record Member(String id, String url, boolean reachable, Integer httpStatus, String error, JsonNode status) {}

    /** The answer: who asked, and every configured member in the order of this node's status. */
    record Answer(String servedBy, long askedAtMs, List<Member> members) {}

    private final NodeView view;
    private final Executor responder;
    private final HttpClient http;
    private final long timeoutMs;

    /** @param tls client TLS towards the members' HTTPS (the forwarding context); null = plain HTTP */
    ClusterProbe(NodeView view, Executor responder, SSLContext tls, long timeoutMs) {
        this.view = view;
        this.responder = responder;
        this.timeoutMs = timeoutMs;
        this.http = PeerHttp.client(tls, responder, Duration.ofMillis(timeoutMs));
    }

    void cluster(HttpCall call) {
        NodeStatus self = view.status();
        String auth = call.header("Authorization");
        List<CompletableFuture<Member>> asks = new ArrayList<>();
        for (MemberInfo m : self.members()) {
            if (m.id().equals(self.id())) {
                asks.add(CompletableFuture.completedFuture(
                        new Member(m.id(), m.url(), true, 200, null, Json.MAPPER.valueToTree(self))));
            } else {
                asks.add(ask(m, auth));
            }
        }
        long askedAt = System.currentTimeMillis();
        CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).whenCompleteAsync((ignored, e) ->
                Exchanges.answering(call, () -> Exchanges.json(call, 200,
                        new Answer(self.id(), askedAt, asks.stream().map(CompletableFuture::join).toList()))), responder);
    }

    /** Never completes exceptionally: a failure is an unreachable member. */
    private CompletableFuture<Member> ask(MemberInfo m, String auth) {
        if (m.url() == null) {
            return CompletableFuture.completedFuture(new Member(m.id(), null, false, null, "no HTTP URL configured", null));
        }
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(m.url() + "/v1/status")).timeout(Duration.ofMillis(timeoutMs)).GET();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Member(m.id(), m.url(), false, null, "bad URL: " + e.getMessage(), null));
        }
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray())
                .handle((rsp, error) -> toMember(m, rsp == null ? 0 : rsp.statusCode(), rsp == null ? null : rsp.body(), error));
    }

    /** Pure: a member from the outcome of asking it (status 0 and {@code error} when no answer came). */
    static Member toMember(MemberInfo m, int status, byte[] body, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            String why = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            return new Member(m.id(), m.url(), false, null, why, null);
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            return new Member(m.id(), m.url(), true, status, "answer is not JSON", null);
        }
        if (status != 200) {
            // reachable, but it refused (e.g. 401: the token is not valid there); its error body says why
            String why = json.path("error").asText("http " + status) + ": " + json.path("message").asText("");
            return new Member(m.id(), m.url(), true, status, why, null);
        }
        return new Member(m.id(), m.url(), true, status, null, json);
    }
}
