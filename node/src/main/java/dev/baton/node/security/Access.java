package dev.baton.node.security;

/**
 * Pure: the access decision for one request, from the role it needs ({@link AccessPolicy}), its
 * {@code Authorization} header and the tokens in force. Messages never contain the token.
 */
public final class Access {

    /** {@code status} 0 = allowed; else 401 or 403 with {@code message}. */
    public record Decision(int status, String message) {
        static final Decision ALLOWED = new Decision(0, null);

        public boolean allowed() {
            return status == 0;
        }
    }

    private Access() {}

    public static Decision decide(AccessRole needed, String authorization, Tokens tokens) {
        if (needed == null) {
            return Decision.ALLOWED;
        }
        if (authorization == null || authorization.isBlank()) {
            return new Decision(401, "a bearer token is required (Authorization: Bearer <token>)");
        }
        String a = authorization.strip();
        if (a.length() < 7 || !a.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Decision(401, "the Authorization header must be 'Bearer <token>'");
        }
        var entry = tokens.match(a.substring(7).strip());
        if (entry.isEmpty()) {
            return new Decision(401, "the bearer token is not valid");
        }
        if (!entry.get().role().covers(needed)) {
            return new Decision(403, "token '" + entry.get().name() + "' has role " + entry.get().role().label()
                    + "; this request needs role " + needed.label());
        }
        return Decision.ALLOWED;
    }
}
