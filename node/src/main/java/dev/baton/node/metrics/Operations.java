package dev.baton.node.metrics;

import java.util.List;

/**
 * Pure: the operation a request counts under in the request histogram. A fixed, small set of
 * names, never the path or key itself, so the number of series stays bounded whatever clients
 * send. The path is the raw one ({@code HttpApi} routes it still percent-encoded).
 */
public final class Operations {

    /** Every name {@link #of} returns. */
    public static final List<String> ALL = List.of("kv_get", "kv_put", "kv_delete", "kv_list", "session_open", "status",
            "leader", "leader_watch", "health", "admin_promote", "admin_maintenance", "admin_transfer", "metrics", "other");

    private Operations() {}

    public static String of(String method, String rawPath) {
        if (rawPath.equals("/v1/kv")) {
            return method.equals("GET") ? "kv_list" : "other";
        }
        if (rawPath.startsWith("/v1/kv/")) {
            return switch (method) {
                case "GET" -> "kv_get";
                case "PUT" -> "kv_put";
                case "DELETE" -> "kv_delete";
                default -> "other";
            };
        }
        if (rawPath.equals("/health") || rawPath.startsWith("/health/")) {
            return "health";
        }
        return switch (rawPath) {
            case "/v1/sessions" -> "session_open";
            case "/v1/status" -> "status";
            case "/v1/leader" -> "leader";
            case "/v1/leader/watch" -> "leader_watch";
            case "/v1/admin/promote" -> "admin_promote";
            case "/v1/admin/maintenance" -> "admin_maintenance";
            case "/v1/admin/transfer" -> "admin_transfer";
            case "/metrics" -> "metrics";
            default -> "other";
        };
    }
}
