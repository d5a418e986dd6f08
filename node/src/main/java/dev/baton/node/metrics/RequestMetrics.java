package dev.baton.node.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * How long the HTTP API takes to answer, by {@link Operations operation} and status code. Measured
 * from dispatch to the answer (or, for an event stream, to its start); a long-poll of {@code
 * /v1/leader} counts its wait.
 */
public final class RequestMetrics {

    private final Histogram duration;

    RequestMetrics(PrometheusRegistry registry) {
        duration = Histogram.builder()
                .name("baton_http_request_duration_seconds")
                .help("time from receiving an HTTP request to answering it, by operation and status code")
                .unit(Unit.SECONDS)
                .labelNames("operation", "status")
                .classicOnly()
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
                .register(registry);
    }

    /** {@code operation} must be one of {@link Operations#ALL}. */
    public void observe(String operation, int status, long nanos) {
        duration.labelValues(operation, Integer.toString(status)).observe(Unit.nanosToSeconds(nanos));
    }
}
