package dev.baton.node.membership;

/**
 * A membership change that cannot be made, with the HTTP status and error code to answer with:
 * 404 an unknown member, 409 a change that conflicts with the table or would cost the quorum.
 */
public final class MembershipException extends RuntimeException {

    private final int status;
    private final String code;

    public MembershipException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    static MembershipException conflict(String message) {
        return new MembershipException(409, "membership_conflict", message);
    }

    static MembershipException noQuorum(String message) {
        return new MembershipException(409, "would_lose_quorum", message);
    }

    static MembershipException unknown(String id) {
        return new MembershipException(404, "unknown_member", "'" + id + "' is not a member");
    }
}
