package dev.baton.client.wire;

/**
 * Answer of {@code POST /v1/sessions}: a client session the cluster registered (committed through
 * the log). Send {@code session} as {@code Baton-Client-Id} with numbered writes to have each applied
 * at most once.
 *
 * @param session the id, issued by the cluster and never reused
 * @param expiresAfterMs the session expires once unused (no write) for longer than this, by the
 *     leaders' clocks; its later writes are then refused with {@link ErrorCodes#SESSION_EXPIRED}
 */
public record SessionInfo(String session, long expiresAfterMs) {}
