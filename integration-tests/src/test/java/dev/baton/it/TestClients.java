package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.client.BatonClient;
import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.WriteResult;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The one way the integration tests and benchmarks make a {@link BatonClient}: seeded with the
 * nodes' URLs and a deadline long enough to ride out an election on a loaded machine. Callers add
 * what their scenario is about (a short attempt timeout, a patient one) to the returned builder.
 */
public final class TestClients {

    /** Deadline of one call, retries included: far above any takeover, so only a real failure fails it. */
    public static final Duration DEADLINE = Duration.ofSeconds(30);

    private TestClients() {}

    /** Every node of {@code cluster} as a seed, the {@link #DEADLINE}, the client's default attempt timeout. */
    public static BatonClient.Builder builder(TestCluster cluster) {
        return builder(cluster.nodes());
    }

    /** Only {@code seeds} as seeds (the client must discover the rest); otherwise as {@link #builder(TestCluster)}. */
    public static BatonClient.Builder builder(List<NodeProcess> seeds) {
        return forUrls(seeds.stream().map(n -> URI.create(n.url())).toList());
    }

    /** Seeds given as URLs, for a cluster the harness did not start (a benchmark run against running nodes). */
    public static BatonClient.Builder forUrls(List<URI> seeds) {
        return BatonClient.builder().seeds(seeds).deadline(DEADLINE);
    }

    /** {@code builder(cluster).build()}. */
    public static BatonClient of(TestCluster cluster) {
        return builder(cluster).build();
    }

    /** One write through a fresh client of {@code cluster} (it finds the ACTIVE itself). */
    public static WriteResult put(TestCluster cluster, String key, String value) {
        try (BatonClient client = of(cluster)) {
            return client.put(key, value);
        }
    }

    /** Reads every key of {@code expected} through a fresh client and checks its value. */
    public static void assertReadable(TestCluster cluster, Map<String, String> expected) {
        try (BatonClient client = of(cluster)) {
            expected.forEach((k, v) -> assertThat(client.get(k)).as("key %s", k).map(KvEntry::value).contains(v));
        }
    }
}
