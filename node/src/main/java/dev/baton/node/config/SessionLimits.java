package dev.baton.node.config;

/**
 * Limits of the client sessions this node opens when it is the ACTIVE (Raft dissertation §6.3).
 * They travel inside each session's open command, so replicas never disagree about them even when
 * their own settings differ: a change applies to sessions opened after it.
 *
 * @param timeoutMs a session unused for longer than this (by the leaders' clocks) expires: its
 *     later writes are refused with {@code session_expired}. Default 1 hour.
 * @param maxSessions live sessions at most; opening one more evicts the least recently used.
 *     Default 10,000.
 */
public record SessionLimits(long timeoutMs, int maxSessions) {

    public static final long DEFAULT_TIMEOUT_MS = 3_600_000;
    public static final int DEFAULT_MAX_SESSIONS = 10_000;
    public static final long MIN_TIMEOUT_MS = 100;
    public static final long MAX_TIMEOUT_MS = 30L * 24 * 3_600_000;
    /** Each live session keeps up to 1,000 answers in replicated memory and every snapshot. */
    public static final int MAX_SESSIONS_CEILING = 1_000_000;

    public static final SessionLimits DEFAULTS = new SessionLimits(DEFAULT_TIMEOUT_MS, DEFAULT_MAX_SESSIONS);

    public SessionLimits {
        if (timeoutMs < MIN_TIMEOUT_MS || timeoutMs > MAX_TIMEOUT_MS) {
            throw new ConfigException("--session-timeout-ms", timeoutMs + " is outside " + MIN_TIMEOUT_MS + "-" + MAX_TIMEOUT_MS);
        }
        if (maxSessions < 1 || maxSessions > MAX_SESSIONS_CEILING) {
            throw new ConfigException("--max-sessions", maxSessions + " is outside 1-" + MAX_SESSIONS_CEILING);
        }
    }
}
