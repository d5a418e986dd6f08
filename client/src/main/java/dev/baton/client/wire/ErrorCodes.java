package dev.baton.client.wire;

/** The stable values of {@link ErrorBody#error()}. */
public final class ErrorCodes {
    /** 307: this node is not the active; the body's leader (and Location) name the active. */
    public static final String NOT_LEADER = "not_leader";
    /** 503: no active node is known right now (election in progress or no majority). */
    public static final String NO_LEADER = "no_leader";
    /** 404: the key does not exist. */
    public static final String KEY_NOT_FOUND = "key_not_found";
    /** 404: no such path. */
    public static final String NOT_FOUND = "not_found";
    /** 405: the path exists but not with this method. */
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    /** 400: plain HTTP sent to a node that speaks HTTPS only (the connection is then closed). */
    public static final String HTTPS_REQUIRED = "https_required";
    /** 400: empty, over-long or malformed key. */
    public static final String INVALID_KEY = "invalid_key";
    /** 400: a malformed query parameter (e.g. ifRevision=abc). */
    public static final String INVALID_PARAMETER = "invalid_parameter";
    /** 413: the value is larger than the node's max-value-bytes. */
    public static final String VALUE_TOO_LARGE = "value_too_large";
    /** 409: compare-and-set failed; currentRevision holds the key's revision (0 = absent). */
    public static final String REVISION_MISMATCH = "revision_mismatch";
    /** 503: the leader waits for an operator's approval (manual failover or maintenance): run {@code baton promote}. */
    public static final String AWAITING_APPROVAL = "awaiting_approval";
    /**
     * 410: the write names a session the cluster does not know (never opened, expired or evicted,
     * or a client-chosen id): it was not applied. An earlier attempt of the same write may have been;
     * open a new session ({@code POST /v1/sessions}) for later writes.
     */
    public static final String SESSION_EXPIRED = "session_expired";
    /** 409: an admin operation that does not apply now (e.g. promote with nothing to promote). */
    public static final String CONFLICT = "conflict";
    /** 503/504: the operation was not confirmed within the node's request timeout; it may or may not have been applied. */
    public static final String TIMEOUT = "timeout";
    /**
     * 400: the request itself is malformed: a request target with a raw space, control or
     * non-ASCII byte (percent-encode them), or a body shorter than its Content-Length.
     */
    public static final String MALFORMED_REQUEST = "malformed_request";
    /** 408: the request head or body did not arrive within the node's HTTP timeouts; the connection is closed. */
    public static final String REQUEST_TIMEOUT = "request_timeout";
    /** 429: this client address holds too many connections to the node; close some (reuse kept-alive ones). */
    public static final String TOO_MANY_CONNECTIONS = "too_many_connections";
    /** 503: the node holds as many HTTP connections as it allows; retry shortly, or on another node. */
    public static final String OVERLOADED = "overloaded";
    /**
     * 401: the node requires a bearer token and the request had none, a malformed one, or one it
     * does not know (the answer carries {@code WWW-Authenticate: Bearer}).
     */
    public static final String UNAUTHORIZED = "unauthorized";
    /** 403: the token is valid but its role does not allow this request; the message names the role needed. */
    public static final String FORBIDDEN = "forbidden";
    /** 500: unexpected failure on the node. */
    public static final String INTERNAL = "internal";

    private ErrorCodes() {}
}
