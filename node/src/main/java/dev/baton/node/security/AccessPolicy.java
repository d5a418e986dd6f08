package dev.baton.node.security;

/**
 * Pure: which role a request needs, from its method and raw path alone (before routing, so an
 * unknown path or method is refused to a caller without a token before it learns anything). The
 * path is matched still percent-encoded, exactly as {@code HttpApi} routes it: {@code
 * /v1/%61dmin/transfer} is no admin path here, and no route there either (404).
 *
 * <table>
 *   <caption>Required role</caption>
 *   <tr><th>request</th><th>role</th></tr>
 *   <tr><td>{@code /health/*} (any method)</td><td>none: open for load balancers, no data</td></tr>
 *   <tr><td>{@code /} and {@code /web/*} (any method)</td><td>none: the web page's files, no data</td></tr>
 *   <tr><td>{@code /v1/admin/*} other than GET/HEAD (transfer, promote, maintenance)</td><td>admin</td></tr>
 *   <tr><td>{@code /v1/admin/snapshot} (any method): a backup holds every value</td><td>admin</td></tr>
 *   <tr><td>GET/HEAD of anything else (kv, list, status, leader, long-poll, watch, history, maintenance setting,
 *       {@code /metrics})</td><td>read</td></tr>
 *   <tr><td>any other method (PUT/DELETE/CAS, POST /v1/sessions)</td><td>write</td></tr>
 * </table>
 */
public final class AccessPolicy {

    /** The backup endpoint: admin even to read, since it hands out the whole state. */
    static final String SNAPSHOT = "/v1/admin/snapshot";

    private AccessPolicy() {}

    /** The role {@code method rawPath} needs; null when it is open to anyone. */
    public static AccessRole required(String method, String rawPath) {
        if (rawPath.equals("/health") || rawPath.startsWith("/health/")) {
            return null;
        }
        if (rawPath.equals("/") || rawPath.startsWith("/web/")) {
            return null; // the web page's static files; the data it shows comes from the endpoints below
        }
        if (rawPath.equals(SNAPSHOT)) {
            return AccessRole.ADMIN;
        }
        boolean reading = method.equals("GET") || method.equals("HEAD");
        if (!reading && (rawPath.equals("/v1/admin") || rawPath.startsWith("/v1/admin/"))) {
            return AccessRole.ADMIN;
        }
        return reading ? AccessRole.READ : AccessRole.WRITE;
    }
}
