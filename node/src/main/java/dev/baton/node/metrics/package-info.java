/**
 * Prometheus metrics of a node ({@code GET /metrics}, see docs/metrics.md), through the official
 * Prometheus Java client. One class per concern; each registers its metrics on the node's own
 * {@code PrometheusRegistry}. Values that already live elsewhere (role, term, indexes, lease, peer
 * ages) are read at scrape time by callbacks; counters and histograms are fed where the event
 * happens. Never imports {@code org.jgroups}: the consensus is seen through {@code Consensus}.
 *
 * <p>Threading: every metric here may be updated from any thread (the client's metrics are
 * thread-safe) and callbacks run on the scraping HTTP worker.
 */
package dev.baton.node.metrics;
