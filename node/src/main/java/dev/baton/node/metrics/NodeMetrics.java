package dev.baton.node.metrics;

import dev.baton.node.Consensus;
import dev.baton.node.hooks.HookResult;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Every metric of one node on its own registry (so nodes embedded in one JVM do not mix), and the
 * scrape in the format the {@code Accept} header asks for, as far as the Prometheus client
 * supports it (Prometheus text 0.0.4 by default, OpenMetrics when asked).
 */
public final class NodeMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final RequestMetrics requests;
    private final StorageMetrics storage;
    private final HookMetrics hooks;

    private NodeMetrics(String nodeId, Consensus consensus) {
        new RoleMetrics(nodeId, consensus, registry);
        ReplicationMetrics.register(consensus, registry);
        this.requests = new RequestMetrics(registry);
        this.storage = new StorageMetrics(consensus, registry);
        this.hooks = new HookMetrics(registry);
        JvmMetrics.builder().register(registry);
    }

    /** Registers every metric; the role counters see every view change {@code consensus} publishes from now on. */
    public static NodeMetrics create(String nodeId, Consensus consensus) {
        return new NodeMetrics(nodeId, consensus);
    }

    public RequestMetrics requests() {
        return requests;
    }

    /** For the log: {@code RaftConsensus.observeStorage}. */
    public StorageObserver storage() {
        return storage;
    }

    /** For the hook runner: told of every finished run. */
    public Consumer<HookResult> hooks() {
        return hooks;
    }

    /** One scrape: its body and content type. */
    public record Scrape(String contentType, byte[] body) {}

    /** Collects every metric now (callbacks run on the calling thread) and writes them as {@code accept} asks. */
    public Scrape scrape(String accept) {
        ExpositionFormatWriter writer = formats.findWriter(accept == null ? "" : accept);
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException("writing metrics to memory failed", e);
        }
        return new Scrape(writer.getContentType(), out.toByteArray());
    }
}
