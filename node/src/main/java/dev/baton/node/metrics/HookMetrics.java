package dev.baton.node.metrics;

import dev.baton.node.hooks.HookResult;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;
import java.util.function.Consumer;

/** Hook runs, failures and durations by event; fed by the hook runner as each run ends (hook thread). */
final class HookMetrics implements Consumer<HookResult> {

    /** The events a hook runs on (see {@code HookRunner}): every series exists from the start. */
    static final List<String> EVENTS = List.of("on-active", "on-standby", "on-fenced", "on-unhealthy");

    private final Counter runs;
    private final Counter failures;
    private final Histogram duration;

    HookMetrics(PrometheusRegistry registry) {
        runs = Counter.builder()
                .name("baton_hook_runs_total")
                .help("hook commands run, by event")
                .labelNames("event")
                .register(registry);
        failures = Counter.builder()
                .name("baton_hook_failures_total")
                .help("hook commands that exited non-zero, timed out or could not start, by event")
                .labelNames("event")
                .register(registry);
        duration = Histogram.builder()
                .name("baton_hook_duration_seconds")
                .help("how long a hook command ran, by event")
                .unit(Unit.SECONDS)
                .labelNames("event")
                .classicOnly()
                .classicUpperBounds(0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60)
                .register(registry);
        for (String e : EVENTS) {
            runs.initLabelValues(e);
            failures.initLabelValues(e);
        }
    }

    @Override
    public void accept(HookResult r) {
        runs.labelValues(r.event()).inc();
        if (!r.ok()) {
            failures.labelValues(r.event()).inc();
        }
        duration.labelValues(r.event()).observe(r.durationMs() / 1000.0);
    }
}
