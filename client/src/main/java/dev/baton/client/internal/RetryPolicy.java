package dev.baton.client.internal;

import dev.baton.client.wire.ErrorBody;
import dev.baton.client.wire.ErrorCodes;
import dev.baton.client.wire.LeaderInfo;
import java.net.URI;
import java.util.Optional;

/**
 * The one place that decides what happens after an attempt routed to the active. Pure.
 *
 * <table>
 *   <caption>Decision table (write = PUT/DELETE; "applied?" = the attempt may have changed state)</caption>
 *   <tr><th>outcome</th><th>action</th><th>applied?</th></tr>
 *   <tr><td>2xx, or 4xx other than the ones below</td><td>COMPLETE</td><td>-</td></tr>
 *   <tr><td>410 session_expired (the write's session is unknown: refused, not applied)</td>
 *       <td>COMPLETE (error; BatonClient opens a new session)</td><td>no</td></tr>
 *   <tr><td>307 not_leader</td><td>FOLLOW_REDIRECT</td><td>no</td></tr>
 *   <tr><td>503 no_leader, 503 awaiting_approval, 503 overloaded</td><td>RETRY</td><td>no</td></tr>
 *   <tr><td>503 timeout, other 502/503/504</td><td>RETRY</td><td>write: yes</td></tr>
 *   <tr><td>500 internal, other 5xx</td><td>COMPLETE (error)</td><td>write: yes</td></tr>
 *   <tr><td>other 3xx</td><td>COMPLETE (error)</td><td>no</td></tr>
 *   <tr><td>connection refused / connect timeout</td><td>RETRY</td><td>no</td></tr>
 *   <tr><td>request timeout, broken connection</td><td>RETRY</td><td>write: yes</td></tr>
 *   <tr><td>no answer yet, and a leader of a higher term at another URL is known
 *       ({@link #superseded})</td><td>FOLLOW_REDIRECT (to that leader; the attempt is cancelled)</td>
 *       <td>write: yes</td></tr>
 * </table>
 *
 * RETRY means: drop the cached leader, back off, re-discover, try again until the deadline; the
 * backoff ends early, and the call goes straight to the new leader, once a leader of a term above
 * any the call has seen is known.
 * "Applied?" is what turns a write that runs out of time into {@code OutcomeUnknownException}
 * instead of {@code NoLeaderException}.
 *
 * <p>Retrying a write is safe because every attempt carries the same {@code Baton-Client-Id} and
 * {@code Baton-Request-Seq}: the node applies a (client, seq) at most once and answers a repeat
 * with the first answer. Hence a 409 revision_mismatch after an attempt that may have applied is
 * a real mismatch (if our first attempt had applied, the retry would have returned its success).
 *
 * <p>Stale reads ({@link #decideAnyNodeRead}) go to any node: the same table for a read, except
 * that a 307 (a node that does not serve stale reads) means "try another node", not "follow".
 */
public final class RetryPolicy {

    public enum Action { COMPLETE, FOLLOW_REDIRECT, RETRY }

    /** @param reason short text for messages and logs, e.g. "503 no_leader: election in progress" */
    public record Decision(Action action, boolean mayHaveApplied, String reason) {}

    private static final Decision SUCCESS = new Decision(Action.COMPLETE, false, "2xx");

    private RetryPolicy() {}

    public static Decision decide(Outcome outcome, boolean write) {
        if (outcome instanceof Outcome.Failed failed) {
            boolean applied = write && failed.kind() != Outcome.FailureKind.NOT_SENT;
            return new Decision(Action.RETRY, applied, failed.reason());
        }
        Outcome.Answer answer = (Outcome.Answer) outcome;
        int status = answer.status();
        if (answer.isSuccess()) {
            // a success body is the result, read once by the call: parsing it as an error body too cost
            // about a tenth of the client's CPU per write (JFR, ThroughputBenchmark)
            return SUCCESS;
        }
        Optional<ErrorBody> body = Json.errorBody(answer.body());
        String code = body.map(ErrorBody::error).orElse(null);
        String reason = describe(status, body);
        if (status == 307) {
            return new Decision(Action.FOLLOW_REDIRECT, false, reason);
        }
        if (status == 503 && (ErrorCodes.NO_LEADER.equals(code) || ErrorCodes.AWAITING_APPROVAL.equals(code)
                || ErrorCodes.OVERLOADED.equals(code))) {
            // refused before anything was submitted (overloaded: before the request was even read): not applied
            return new Decision(Action.RETRY, false, reason);
        }
        if (status == 502 || status == 503 || status == 504) {
            return new Decision(Action.RETRY, write, reason);
        }
        if (status >= 500) {
            return new Decision(Action.COMPLETE, write, reason);
        }
        return new Decision(Action.COMPLETE, false, reason);
    }

    /**
     * An attempt given up unanswered because a newer leader (higher term, Raft §5.1) is known
     * elsewhere: go there now. A write may have been applied by the abandoned attempt, e.g. if the
     * old leader was cut off after replicating it; resending is safe as the node de-duplicates.
     */
    public static Decision superseded(boolean write) {
        return new Decision(Action.FOLLOW_REDIRECT, write, "no answer; abandoned for a newer leader");
    }

    /** The decision for a stale read sent to one of any nodes: COMPLETE, or RETRY on the next node. */
    public static Decision decideAnyNodeRead(Outcome outcome) {
        Decision d = decide(outcome, false);
        return d.action() == Action.FOLLOW_REDIRECT ? new Decision(Action.RETRY, false, d.reason()) : d;
    }

    /**
     * Where a 307 points: the body's {@code leader} (id, url, term) if it has a usable URL, else the
     * {@code Location} header's scheme and authority. Empty if neither is usable.
     */
    public static Optional<LeaderRef> redirectTarget(Outcome.Answer answer) {
        Optional<LeaderInfo> leader = Json.errorBody(answer.body()).map(ErrorBody::leader);
        if (leader.isPresent() && leader.get().url() != null) {
            try {
                LeaderInfo l = leader.get();
                return Optional.of(new LeaderRef(NodeUrls.parse(l.url()), l.id(), l.term()));
            } catch (IllegalArgumentException e) {
                // fall through to Location
            }
        }
        Optional<String> location = answer.header("Location");
        if (location.isPresent()) {
            try {
                URI uri = URI.create(location.get().trim());
                if (uri.isAbsolute()) {
                    return Optional.of(new LeaderRef(NodeUrls.baseOf(uri), leader.map(LeaderInfo::id).orElse(null),
                            leader.map(LeaderInfo::term).orElse(0L)));
                }
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** E.g. {@code "503 no_leader: election in progress"} or {@code "HTTP 502"}. */
    public static String describe(int status, Optional<ErrorBody> body) {
        if (body.isEmpty() || body.get().error() == null) {
            return "HTTP " + status;
        }
        String message = body.get().message();
        return status + " " + body.get().error() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
