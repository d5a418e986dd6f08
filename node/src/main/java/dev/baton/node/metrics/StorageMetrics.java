package dev.baton.node.metrics;

import dev.baton.node.Consensus;
import dev.baton.node.health.StorageFault;
import dev.baton.node.health.StorageHealth;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The log's writes (fed by the log as they happen, see {@link StorageObserver}) and whether this
 * node can persist (read from the role view's storage fault at scrape time).
 */
final class StorageMetrics implements StorageObserver {

    private static final double[] DISK_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

    private final Histogram append;
    private final Histogram fsync;
    private final Counter entries;
    private final Histogram snapshot;

    StorageMetrics(Consensus consensus, PrometheusRegistry registry) {
        append = Histogram.builder()
                .name("baton_log_append_duration_seconds")
                .help("time to store one batch of log entries, the force to disk included")
                .unit(Unit.SECONDS)
                .classicOnly()
                .classicUpperBounds(DISK_BUCKETS)
                .register(registry);
        fsync = Histogram.builder()
                .name("baton_log_fsync_duration_seconds")
                .help("time of the force to disk of one appended batch (none while fsync is off)")
                .unit(Unit.SECONDS)
                .classicOnly()
                .classicUpperBounds(DISK_BUCKETS)
                .register(registry);
        entries = Counter.builder()
                .name("baton_log_appended_entries_total")
                .help("log entries this node stored")
                .register(registry);
        snapshot = Histogram.builder()
                .name("baton_snapshot_duration_seconds")
                .help("time to write and force one snapshot of the state machine; _count is the number of snapshots stored")
                .unit(Unit.SECONDS)
                .classicOnly()
                .classicUpperBounds(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30)
                .register(registry);
        GaugeWithCallback.builder()
                .name("baton_storage_healthy")
                .help("1 while this node can persist what Raft needs, 0 while it is UNHEALTHY")
                .callback(cb -> cb.call(consensus.view().fault() == null ? 1 : 0))
                .register(registry);
        GaugeWithCallback.builder()
                .name("baton_storage_fault")
                .help("1 for the part of this node's storage that fails now, 0 for the others")
                .labelNames("part")
                .callback(cb -> {
                    StorageFault f = consensus.view().fault();
                    for (StorageHealth.Part p : StorageHealth.Part.values()) {
                        cb.call(f != null && f.part() == p ? 1 : 0, partLabel(p));
                    }
                })
                .register(registry);
    }

    /** {@code log_data} rather than the people's label {@code "log data"}: label values without spaces are easier to query. */
    static String partLabel(StorageHealth.Part p) {
        return p.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void appended(int n, long nanos, long forceNanos) {
        append.observe(Unit.nanosToSeconds(nanos));
        if (forceNanos >= 0) {
            fsync.observe(Unit.nanosToSeconds(forceNanos));
        }
        entries.inc(n);
    }

    @Override
    public void snapshotStored(long nanos) {
        snapshot.observe(Unit.nanosToSeconds(nanos));
    }
}
