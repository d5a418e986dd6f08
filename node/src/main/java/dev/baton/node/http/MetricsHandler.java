package dev.baton.node.http;

import dev.baton.node.metrics.NodeMetrics;

/** {@code GET /metrics}: the node's metrics in the format the {@code Accept} header asks for (see docs/metrics.md). */
final class MetricsHandler {

    private final NodeMetrics metrics;

    MetricsHandler(NodeMetrics metrics) {
        this.metrics = metrics;
    }

    void scrape(HttpCall call) {
        NodeMetrics.Scrape s = metrics.scrape(call.header("Accept"));
        call.send(200, s.contentType(), s.body());
    }
}
