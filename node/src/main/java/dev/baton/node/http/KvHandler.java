package dev.baton.node.http;

import dev.baton.client.wire.ErrorCodes;
import dev.baton.client.wire.ListPaging;
import dev.baton.client.wire.PercentEncoding;
import dev.baton.client.wire.LeaderInfo;
import dev.baton.node.Failures;
import dev.baton.node.NotLeaderException;
import dev.baton.node.config.Operations;
import dev.baton.node.health.StorageFault;
import dev.baton.node.role.Role;
import dev.baton.node.role.RoleState;
import dev.baton.node.role.RoleView;
import dev.baton.node.statemachine.Command;
import dev.baton.node.statemachine.Result;
import dev.baton.node.config.SessionLimits;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/kv} and {@code POST /v1/sessions}: every read and write becomes a log command,
 * submitted on the ACTIVE and answered once applied (never before commit). Non-active nodes
 * redirect to the active.
 *
 * <p>The ACTIVE stamps writes and session openings with its wall clock ({@code atMs}) as it
 * builds the command: sessions expire by these stamps, so the state machine reads no clock.
 *
 * <p>Threading: the request is parsed on an HTTP worker, which returns at once; the answer is
 * written on {@code responder} when the command completes, so no thread waits on consensus.
 */
final class KvHandler {

    private static final Logger log = LoggerFactory.getLogger(KvHandler.class);

    static final int DEFAULT_LIST_LIMIT = 1000;
    static final int MAX_LIST_LIMIT = 100_000;

    static final String CLIENT_ID_HEADER = "Baton-Client-Id";
    static final String SEQ_HEADER = "Baton-Request-Seq";
    static final String ACKED_BELOW_HEADER = "Baton-Acked-Below";

    private final NodeView view;
    private final Executor responder;

    private final Forwarder forwarder;
    private final ServingGate gate;
    private final SecureRandom nonces = new SecureRandom();

    /** @param forwardTls client TLS of forwarded writes when the cluster speaks HTTPS, else null */
    KvHandler(NodeView view, Executor responder, ServingGate gate, SSLContext forwardTls) {
        this.view = view;
        this.responder = responder;
        this.gate = gate;
        this.forwarder = new Forwarder(responder, view.config.requestTimeoutMs(), forwardTls);
    }

    /** {@code rest} is the raw path after {@code /v1/kv} ("" or "/..."). */
    void handle(HttpCall call, String rest, Map<String, String> params) throws IOException {
        String method = call.method();
        if (rest.isEmpty()) {
            if (!method.equals("GET")) {
                throw ApiException.of(405, ErrorCodes.METHOD_NOT_ALLOWED, method + " /v1/kv is not supported; use GET to list");
            }
            list(call, params);
            return;
        }
        String key = Paths.validKey(Paths.decodePath(rest.substring(1)));
        switch (method) {
            case "GET" -> get(call, key, params);
            case "PUT" -> put(call, key, params);
            case "DELETE" -> delete(call, key, params);
            default -> throw ApiException.of(405, ErrorCodes.METHOD_NOT_ALLOWED,
                    method + " is not supported on /v1/kv/{key}; use GET, PUT or DELETE");
        }
    }

    private void get(HttpCall call, String key, Map<String, String> params) {
        boolean raw = Paths.flag(params, "raw");
        if (Paths.flag(params, "stale") || localReads(params)) {
            read(call, key, raw, staleRead(call, new Command.Get(key)));
            return;
        }
        Command.Get query = new Command.Get(key);
        whenActive(call, term -> linearizableRead(call, query, term, result -> read(call, key, raw, result)));
    }

    /** From the lease when it vouches for the answer (and lease reads are on), else through the log. */
    private void linearizableRead(HttpCall call, Command query, long term, Answer answer) {
        if (view.config.ops().reads() == Operations.Reads.LEASE) {
            var leased = view.consensus.leaseRead(query, term);
            if (leased.isPresent()) {
                answer.send(leased.get());
                return;
            }
        }
        submit(call, query, term, answer);
    }

    /** A GET's answer: JSON, or with {@code raw} the value's bytes and its revision in a header. */
    private static void read(HttpCall call, String key, boolean raw, Result result) {
        if (raw && result instanceof Result.Value v) {
            call.setHeader("X-Baton-Revision", Long.toString(v.revision()));
            call.send(200, "application/octet-stream", v.value());
        } else {
            send(call, ResultMapping.read(key, result));
        }
    }

    private void list(HttpCall call, Map<String, String> params) {
        String prefix = params.getOrDefault("prefix", "");
        long limit = Paths.nonNegativeLong(params, "limit", DEFAULT_LIST_LIMIT);
        if (limit < 1 || limit > MAX_LIST_LIMIT) {
            throw ApiException.badRequest(ErrorCodes.INVALID_PARAMETER, "limit=" + limit + " is outside 1-" + MAX_LIST_LIMIT);
        }
        String after = params.getOrDefault("after", "");
        Command query = new Command.ListPrefix(prefix, after, (int) limit);
        if (Paths.flag(params, "stale") || localReads(params)) {
            listed(call, prefix, limit, staleRead(call, query));
            return;
        }
        whenActive(call, term -> linearizableRead(call, query, term, result -> listed(call, prefix, limit, result)));
    }

    /**
     * A listing's answer: the entries as before, and headers saying whether it was cut at its limit
     * and where the next page starts ({@link ListPaging}); a bare array alone could not tell.
     */
    private static void listed(HttpCall call, String prefix, long limit, Result result) {
        if (result instanceof Result.Listing l) {
            call.setHeader(ListPaging.TRUNCATED_HEADER, Boolean.toString(l.more()));
            if (l.more() && !l.entries().isEmpty()) {
                String last = PercentEncoding.encode(l.entries().get(l.entries().size() - 1).key(), false);
                call.setHeader(ListPaging.NEXT_AFTER_HEADER, last);
                call.setHeader("Link", "</v1/kv?prefix=" + PercentEncoding.encode(prefix, false) + "&after=" + last + "&limit=" + limit
                        + ">; rel=\"next\"");
            }
        }
        send(call, ResultMapping.list(result));
    }

    private void put(HttpCall call, String key, Map<String, String> params) throws IOException {
        long ifRevision = Paths.nonNegativeLong(params, "ifRevision", Command.NO_REVISION_CHECK);
        Command.Session session = session(call);
        byte[] value = call.body(view.config.maxValueBytes());
        if (forwarded(call, value)) {
            return;
        }
        whenActive(call, term -> {
            Command put = new Command.Put(session, key, value, ifRevision, System.currentTimeMillis());
            submit(call, put, term, result -> written(call, key, term, result));
        });
    }

    private void delete(HttpCall call, String key, Map<String, String> params) {
        long ifRevision = Paths.nonNegativeLong(params, "ifRevision", Command.NO_REVISION_CHECK);
        Command.Session session = session(call);
        if (forwarded(call, null)) {
            return;
        }
        whenActive(call, term -> {
            Command delete = new Command.Delete(session, key, ifRevision, System.currentTimeMillis());
            submit(call, delete, term, result -> written(call, key, term, result));
        });
    }

    /**
     * {@code POST /v1/sessions}: registers a client session through the log. A lost answer leaves
     * an unused session behind, which expires or is evicted; so the client may simply ask again.
     */
    void openSession(HttpCall call, Map<String, String> params) {
        if (forwarded(call, new byte[0])) {
            return;
        }
        String client = params.getOrDefault("client", "");
        SessionLimits limits = view.config.sessions();
        whenActive(call, term -> {
            Command open = new Command.OpenSession(nonces.nextLong(), limits.timeoutMs(), limits.maxSessions(),
                    System.currentTimeMillis());
            submit(call, open, term, result -> {
                if (result instanceof Result.SessionOpened o) {
                    log.debug("opened session {} for client '{}'", o.sessionId(), client);
                }
                send(call, ResultMapping.session(result));
            });
        });
    }

    private static void written(HttpCall call, String key, long term, Result result) {
        send(call, ResultMapping.write(key, term, result));
    }

    private static void send(HttpCall call, ResultMapping.HttpAnswer answer) {
        Exchanges.json(call, answer.status(), answer.body());
    }

    /** Active-active mode: every node answers reads from its replica unless {@code linearizable=true}. */
    private boolean localReads(Map<String, String> params) {
        return view.config.ops().mode() == Operations.Mode.ACTIVE_ACTIVE && !Paths.flag(params, "linearizable");
    }

    /** Active-active mode: a write reaching a non-active node that knows the active is forwarded there. */
    private boolean forwarded(HttpCall call, byte[] body) {
        if (view.config.ops().mode() != Operations.Mode.ACTIVE_ACTIVE) {
            return false;
        }
        RoleView v = view.consensus.view();
        LeaderInfo leader = view.redirectTarget(v);
        if (v.role() == Role.ACTIVE || leader == null) {
            return false;
        }
        forwarder.forward(call, leader.url(), body);
        return true;
    }

    /**
     * Answers from this node's replica, any role; the headers say how stale it may be: the applied
     * index, the highest commit index this node knows of (the leader's, as last heard), and the
     * staleness (see {@link dev.baton.node.Consensus#stalenessMs}: 0 on the ACTIVE, -1 if no leader
     * is known), and, on a node that cannot persist, its fault.
     */
    private Result staleRead(HttpCall call, Command query) {
        long staleness = view.consensus.stalenessMs();
        long known = view.consensus.leaderCommitIndex();
        long applied = view.consensus.appliedIndex();
        Result result = view.consensus.readLocal(query);
        call.setHeader("Baton-Applied-Index", Long.toString(applied));
        call.setHeader("Baton-Leader-Commit-Index", Long.toString(Math.max(known, applied)));
        call.setHeader("Baton-Staleness-Ms", Long.toString(staleness));
        StorageFault fault = view.consensus.view().fault();
        if (fault != null) {
            call.setHeader("Baton-Unhealthy", fault.reason().replaceAll("[\\r\\n]", " "));
        }
        return result;
    }

    private static Command.Session session(HttpCall call) {
        String clientId = call.header(CLIENT_ID_HEADER);
        if (clientId == null || clientId.isEmpty()) {
            return Command.Session.NONE;
        }
        if (clientId.length() > 128) {
            throw ApiException.badRequest(ErrorCodes.INVALID_PARAMETER, CLIENT_ID_HEADER + " is longer than 128 characters");
        }
        long seq = headerLong(call, SEQ_HEADER, -1);
        if (seq < 1) {
            throw ApiException.badRequest(ErrorCodes.INVALID_PARAMETER, CLIENT_ID_HEADER + " needs a positive " + SEQ_HEADER);
        }
        long ackedBelow = headerLong(call, ACKED_BELOW_HEADER, 0);
        if (ackedBelow > seq) {
            // it would mark writes this client has not even sent as answered, and refuse them all
            throw ApiException.badRequest(ErrorCodes.INVALID_PARAMETER, ACKED_BELOW_HEADER + " (" + ackedBelow
                    + ") must not exceed " + SEQ_HEADER + " (" + seq + "): it names the writes of this client below it"
                    + " that have had their final answer");
        }
        return new Command.Session(clientId, seq, ackedBelow);
    }

    private static long headerLong(HttpCall call, String name, long absent) {
        return Paths.nonNegativeLong(name, call.header(name), absent);
    }

    /** Runs {@code serve} with the term once this node is ACTIVE (see {@link ServingGate}); else the redirect or 503. */
    private void whenActive(HttpCall call, LongConsumer serve) {
        gate.whenServing(call, serve, r -> notActive(call, r));
    }

    /** The redirect or 503 for a request that needs the ACTIVE, when this node is not it. */
    private ApiException notActive(HttpCall call, RoleView v) {
        RoleState r = v.state();
        if (r.role() == Role.PENDING_APPROVAL) {
            return ApiException.of(503, ErrorCodes.AWAITING_APPROVAL, view.config.nodeId() + " leads term " + r.term()
                    + " but awaits an operator's approval (manual failover, maintenance or no-failover): run 'baton promote'");
        }
        LeaderInfo leader = view.redirectTarget(v);
        if (leader != null) {
            return ApiException.redirect(leader, Exchanges.sameRequestOn(leader.url(), call),
                    view.config.nodeId() + " is " + r.role() + "; the active node is " + leader.id() + " at " + leader.url());
        }
        return ApiException.noLeader(view.config.nodeId() + " is " + r.role() + " at term " + r.term()
                + (view.config.nodeId().equals(v.leaderId()) ? " and not yet serving" : " and knows no active node") + "; retry shortly");
    }

    private interface Answer {
        void send(Result result);
    }

    private void submit(HttpCall call, Command command, long term, Answer answer) {
        long timeoutMs = view.config.requestTimeoutMs();
        view.consensus.submit(command)
                .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .whenCompleteAsync((result, error) -> Exchanges.answering(call, () -> {
                    if (error == null) {
                        answer.send(result);
                    } else {
                        failed(call, command, error, timeoutMs);
                    }
                }), responder);
    }

    private void failed(HttpCall call, Command command, Throwable error, long timeoutMs) {
        Throwable cause = Failures.cause(error);
        if (cause instanceof NotLeaderException) {
            // refused before it entered the log: safe to send elsewhere
            throw notActive(call, view.consensus.view());
        }
        boolean write = command instanceof Command.Put || command instanceof Command.Delete;
        String outcome = write ? "; the write may or may not have been applied (retry with the same "
                + SEQ_HEADER + " to apply it at most once)"
                : command instanceof Command.OpenSession ? "; a session may have been opened (unused, it expires): open another" : "";
        if (cause instanceof TimeoutException) {
            throw ApiException.of(503, ErrorCodes.TIMEOUT, "not committed within " + timeoutMs + " ms (--request-timeout-ms)" + outcome);
        }
        throw ApiException.of(503, ErrorCodes.TIMEOUT, "leadership changed before the command committed (" + cause + ")" + outcome);
    }
}
