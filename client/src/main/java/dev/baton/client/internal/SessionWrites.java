package dev.baton.client.internal;

import dev.baton.client.BatonException;
import dev.baton.client.OutcomeUnknownException;
import dev.baton.client.wire.SessionInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Writes in a session the cluster registered (Raft dissertation §6.3): opens the session before
 * the first write, numbers each write in it, and decides what a {@code 410 session_expired} means
 * for the caller. Thread-safe: the session is shared by concurrent writers ({@link Sessions}).
 */
public final class SessionWrites {

    /** Sessions one write may be sent in; a new one expiring before its first write means a flood of sessions. */
    static final int MAX_SESSIONS_PER_WRITE = 2;

    private final Caller caller;
    private final String clientName;
    private final Sessions sessions = new Sessions();

    /** {@code clientName} is sent when a session is opened, for the nodes' logs. */
    public SessionWrites(Caller caller, String clientName) {
        this.caller = caller;
        this.clientName = clientName;
    }

    /** A write of {@code key}: the parts of its {@link Call} but the session. */
    public record Write<T>(String operation, String method, String path, String key, byte[] body, long expectedRevision,
            Call.AnswerReader<T> onSuccess) {}

    /**
     * Runs one logical write: one session and sequence number for all its attempts, in flight until
     * its final answer. Refused for an expired session: sent once more in a new session if no
     * attempt may have been applied (the refusal proves the refused one was not), else {@link
     * OutcomeUnknownException}, since nothing can tell any more whether an earlier attempt applied.
     */
    public <T> T write(Write<T> w) {
        for (int tries = 1; ; tries++) {
            ClientSession session = sessions.current(() -> open(w.operation(), w.key()));
            long seq = session.seqs().begin();
            try {
                return caller.execute(new Call<T>(w.operation(), w.method(), w.path(), w.body(), true, w.key(),
                        w.expectedRevision(), new ClientSession.Seq(session, seq), w.onSuccess(), null));
            } catch (SessionExpired e) {
                sessions.expired(session);
                if (e.mayHaveApplied()) {
                    throw new OutcomeUnknownException(w.operation(), w.key(), "its session " + session.id() + " expired on the"
                            + " cluster before a retry was confirmed: " + e.getMessage(), e.attempts(), e);
                }
                if (tries == MAX_SESSIONS_PER_WRITE) {
                    throw new BatonException(w.operation() + " of key '" + w.key() + "' was refused (not applied): "
                            + tries + " sessions in a row expired before it reached the cluster: " + e.getMessage(), e);
                }
            } finally {
                session.seqs().end(seq);
            }
        }
    }

    /** The id of the open session, if any. */
    public Optional<String> sessionId() {
        return Optional.ofNullable(sessions.currentId());
    }

    /**
     * Registers a session before {@code operation} of {@code key} (named in its errors). Not a
     * write: a lost answer only leaves an unused session behind, which expires, so it is retried freely.
     */
    private ClientSession open(String operation, String key) {
        String path = "/v1/sessions?client=" + URLEncoder.encode(clientName, StandardCharsets.UTF_8);
        SessionInfo info = caller.execute(new Call<SessionInfo>(operation + " (opening a session)", "POST", path, new byte[0],
                false, key, -1, null, answer -> Json.read(answer.body(), SessionInfo.class), null));
        if (info.session() == null || info.session().isEmpty()) {
            throw new BatonException(operation + " of key '" + key + "': opening a session, the node answered without a session id");
        }
        return ClientSession.opened(info.session());
    }
}
