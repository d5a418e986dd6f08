package dev.baton.client;

import dev.baton.client.internal.FakeNetwork;
import java.time.Duration;

/** The client the unit tests run against a {@link FakeNetwork}: one id and one timing for all of them. */
final class ScriptedClient {

    private ScriptedClient() {}

    /** Client id {@code c-1}, 2 s per attempt, 10 s per call. */
    static BatonClient.Builder builder(String seeds) {
        return BatonClient.builder().seeds(seeds).clientId("c-1")
                .requestTimeout(Duration.ofSeconds(2)).deadline(Duration.ofSeconds(10));
    }

    /** A client of {@code b} whose requests go to {@code net}, on its fake clock. */
    static BatonClient on(FakeNetwork net, BatonClient.Builder b) {
        return new BatonClient(b, net, net.time);
    }
}
