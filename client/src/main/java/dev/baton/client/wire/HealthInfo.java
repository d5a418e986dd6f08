package dev.baton.client.wire;

/**
 * Whether a node's storage works (in {@code GET /v1/status}).
 *
 * @param state "ok", or "unhealthy": the node cannot persist its log, metadata or snapshot (disk
 *     full, read-only, failing); its role is then UNHEALTHY
 * @param reason what failed and how, e.g. {@code "log: appending entries 638..640 to ... failed: No
 *     space left on device"}; null when ok
 * @param sinceEpochMs when the fault began; 0 when ok
 */
public record HealthInfo(String state, String reason, long sinceEpochMs) {

    public static final String OK = "ok";
    public static final String UNHEALTHY = "unhealthy";

    public boolean ok() {
        return OK.equals(state);
    }
}
