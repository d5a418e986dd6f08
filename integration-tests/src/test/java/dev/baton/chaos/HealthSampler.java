package dev.baton.chaos;

import dev.baton.client.wire.KvEntry;
import dev.baton.client.wire.NodeStatus;
import dev.baton.it.Http;
import dev.baton.it.NodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Watches one node through a disk fault, on its own thread, every {@link #INTERVAL}: the length of
 * its log file, then {@code /v1/status} and {@code /health/standby}, then the length again (the
 * samples {@link SickNodeChecker} judges); and one stale read of a workload key, whose value must
 * be one a client wrote ({@link ValueOriginChecker}). Started when the fault begins, stopped when
 * it is healed.
 */
final class HealthSampler {

    static final Duration INTERVAL = Duration.ofMillis(200);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final NodeProcess node;
    private final Http http;
    private final List<String> keys;
    private final String label;
    private final long logStart;
    private final List<HealthSample> samples = new ArrayList<>(); // guarded by this
    private final List<ValueOriginChecker.Served> served = new ArrayList<>(); // guarded by this
    private final Thread thread;
    private volatile boolean stop;

    /** Starts watching {@code node}; {@code label} names the fault in what it records ("fault 4 DISK_FULL"). */
    HealthSampler(NodeProcess node, Http http, List<String> keys, String label) {
        this.node = node;
        this.http = http;
        this.keys = List.copyOf(keys);
        this.label = label;
        this.logStart = logBytes();
        this.thread = new Thread(this::loop, "chaos-health-" + node.id());
        thread.setDaemon(true);
        thread.start();
    }

    /** Where the node's log stood when the watch began. */
    long logStart() {
        return logStart;
    }

    /** What it has seen so far. */
    synchronized List<HealthSample> samples() {
        return List.copyOf(samples);
    }

    synchronized List<ValueOriginChecker.Served> served() {
        return List.copyOf(served);
    }

    /** Stops the sampling after the sample in progress (a few seconds at most). */
    void stop() throws InterruptedException {
        stop = true;
        thread.join(5_000);
    }

    private void loop() {
        for (int i = 0; !stop; i++) {
            long before = logBytes();
            long sent = System.nanoTime();
            Optional<NodeStatus> status = get("/v1/status").filter(r -> r.status() == 200).map(r -> r.json(NodeStatus.class));
            int standby = get("/health/standby").map(Http.Response::status).orElse(0);
            long received = System.nanoTime();
            long after = logBytes();
            String key = keys.get(i % keys.size());
            Optional<Http.Response> read = get(Http.kvPath(key) + "?stale=true");
            synchronized (this) {
                samples.add(new HealthSample(sent, received, before, after, status.map(NodeStatus::role).orElse(null),
                        status.map(s -> s.health() == null ? null : s.health().state()).orElse(null), standby));
                read.filter(r -> r.status() == 200).ifPresent(r -> served.add(new ValueOriginChecker.Served(key,
                        r.json(KvEntry.class).value(), node.id() + ", stale read during " + label + ": " + r)));
            }
            try {
                Thread.sleep(INTERVAL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Optional<Http.Response> get(String path) {
        try {
            return Optional.of(http.getAsync(node.url() + path, TIMEOUT).join());
        } catch (RuntimeException e) {
            return Optional.empty(); // down, hung or refusing: no answer, nothing claimed
        }
    }

    private long logBytes() {
        try {
            return Files.size(node.logFile());
        } catch (IOException e) {
            return 0;
        }
    }
}
