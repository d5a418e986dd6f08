package dev.baton.client.internal;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds node answers for tests. */
public final class Answers {

    private Answers() {}

    public static Outcome.Answer json(int status, String json, String... headerPairs) {
        Map<String, List<String>> headers = new HashMap<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], List.of(headerPairs[i + 1]));
        }
        return new Outcome.Answer(status, HttpHeaders.of(headers, (k, v) -> true), json.getBytes(StandardCharsets.UTF_8));
    }

    public static Outcome.Answer error(int status, String code) {
        return json(status, "{\"error\":\"" + code + "\",\"message\":\"m\"}");
    }

    public static Outcome.Answer notLeader(String leaderId, String leaderUrl, long term) {
        return json(307, "{\"error\":\"not_leader\",\"message\":\"ask " + leaderId + "\",\"leader\":{\"id\":\"" + leaderId
                + "\",\"url\":\"" + leaderUrl + "\",\"term\":" + term + "}}");
    }

    public static Outcome.Failed failed(Outcome.FailureKind kind) {
        return new Outcome.Failed(kind, kind.name().toLowerCase(), null);
    }
}
