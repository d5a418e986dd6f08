package dev.baton.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.it.Http;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one table of {@code scripts/bench.sh failover|throughput --tls both}: reads the JSON of the
 * plain run and of the {@code --secure} run and prints each figure of the plain run beside the
 * secure one with their ratio (secure / plain; above 1 means TLS took longer, or for ops/s that
 * TLS served more). Failover: p50 and max of client unavailability and of fault → new ACTIVE per
 * kind. Throughput: ops/s and p99 per client, mode and requests in flight.
 */
public final class TlsComparison {

    private static final List<String> FAILOVER_METRICS =
            List.of("client unavailability", "fault -> new ACTIVE (watch)", "fault -> new ACTIVE (node log)");

    private TlsComparison() {}

    /** {@code failover|throughput PLAIN.json SECURE.json}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: TlsComparison failover|throughput PLAIN.json SECURE.json");
            System.exit(2);
        }
        JsonNode plain = Http.JSON.readTree(Path.of(args[1]).toFile());
        JsonNode secure = Http.JSON.readTree(Path.of(args[2]).toFile());
        System.out.println();
        System.out.println("TLS off (plain) beside TLS on (peer TLS + HTTPS + token); ratio = secure / plain");
        switch (args[0]) {
            case "failover" -> failover(plain, secure);
            case "throughput" -> throughput(plain, secure);
            default -> throw new IllegalArgumentException("failover or throughput, not " + args[0]);
        }
    }

    private static void failover(JsonNode plain, JsonNode secure) {
        System.out.printf("%-10s %-32s %5s %10s %10s %6s %10s %10s %6s%n", "KIND", "METRIC (ms)", "N", "P50 PLAIN",
                "P50 SECURE", "RATIO", "MAX PLAIN", "MAX SECURE", "RATIO");
        for (Map.Entry<String, JsonNode> kind : plain.path("kinds").properties()) {
            JsonNode p = idle(kind.getValue());
            JsonNode s = idle(secure.path("kinds").path(kind.getKey()));
            for (String metric : FAILOVER_METRICS) {
                JsonNode pm = p.path(metric);
                JsonNode sm = s.path(metric);
                System.out.printf("%-10s %-32s %5s %10s %10s %6s %10s %10s %6s%n", kind.getKey(), metric,
                        pm.path("n").asText("?") + "/" + sm.path("n").asText("?"), num(pm, "p50"), num(sm, "p50"),
                        ratio(pm.path("p50"), sm.path("p50")), num(pm, "max"), num(sm, "max"),
                        ratio(pm.path("max"), sm.path("max")));
            }
        }
    }

    /** A kind's idle figures: the kind itself, or its "idle" half when the run had --load. */
    private static JsonNode idle(JsonNode kind) {
        return kind.has("idle") ? kind.get("idle") : kind;
    }

    private static void throughput(JsonNode plain, JsonNode secure) {
        System.out.printf("%-12s %-11s %9s %11s %11s %6s %10s %11s %6s%n", "CLIENT", "MODE", "IN-FLIGHT", "OPS/S PLAIN",
                "OPS/S SECURE", "RATIO", "P99 PLAIN", "P99 SECURE", "RATIO");
        for (JsonNode p : plain.path("results")) {
            JsonNode s = null;
            for (JsonNode c : secure.path("results")) {
                if (c.path("client").equals(p.path("client")) && c.path("mode").equals(p.path("mode"))
                        && c.path("inflight").equals(p.path("inflight"))) {
                    s = c;
                }
            }
            JsonNode sr = s == null ? Http.JSON.createObjectNode() : s;
            System.out.printf("%-12s %-11s %9d %11s %11s %6s %10s %11s %6s%n", p.path("client").asText(),
                    p.path("mode").asText(), p.path("inflight").asInt(), num(p, "opsPerSec"), num(sr, "opsPerSec"),
                    ratio(p.path("opsPerSec"), sr.path("opsPerSec")), num(p, "p99Ms"), num(sr, "p99Ms"),
                    ratio(p.path("p99Ms"), sr.path("p99Ms")));
        }
    }

    private static String num(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isNumber() ? String.format(Locale.ROOT, "%.1f", v.asDouble()) : "-";
    }

    private static String ratio(JsonNode plain, JsonNode secure) {
        if (!plain.isNumber() || !secure.isNumber() || plain.asDouble() == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f", secure.asDouble() / plain.asDouble());
    }
}
