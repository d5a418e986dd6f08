package dev.baton.node.http;

import dev.baton.client.wire.ErrorCodes;
import dev.baton.client.wire.LeaderInfo;
import dev.baton.client.wire.MaintenanceInfo;
import dev.baton.client.wire.TransferResult;
import dev.baton.node.Consensus;
import dev.baton.node.Failures;
import dev.baton.node.backup.BackupFile;
import dev.baton.node.NotLeaderException;
import dev.baton.node.role.Role;
import dev.baton.node.role.RoleState;
import dev.baton.node.role.RoleView;
import dev.baton.node.statemachine.ClusterControl;
import dev.baton.node.statemachine.Command;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code /v1/admin/*}: operator actions, committed through the log on the leader (a non-leader
 * redirects there): {@code POST promote} approves the pending leader of the current term; {@code
 * PUT maintenance?enabled=true|false[&for=30m]} switches maintenance mode cluster-wide; {@code GET
 * maintenance} shows it; {@code GET snapshot} answers a backup ({@link BackupFile}) of the state
 * taken after a barrier through the log (admin role: it holds every value).
 *
 * <p>At most one transfer runs at a time on a node: another one while it is in flight is refused
 * with 409 (a storm of transfers would only churn terms). Maintenance lasts at most {@link
 * #MAX_MAINTENANCE_MS}; an operator who needs longer renews it, or leaves out {@code for}.
 */
final class AdminHandler {

    /** {@code for} of maintenance at most: 24 hours. */
    static final long MAX_MAINTENANCE_MS = 24L * 3_600_000;

    private final NodeView view;
    private final Executor responder;
    private final AtomicBoolean transferring = new AtomicBoolean(); // a transfer of this node is in flight

    AdminHandler(NodeView view, Executor responder) {
        this.view = view;
        this.responder = responder;
    }

    void promote(HttpCall call) {
        RoleView v = view.consensus.view();
        RoleState r = v.state();
        if (r.role() == Role.ACTIVE) {
            Exchanges.json(call, 200, answer(r.term(), false, view.config.nodeId() + " is already ACTIVE at term " + r.term()));
            return;
        }
        if (r.role() != Role.PENDING_APPROVAL) {
            throw notLeader(call, v, "promote");
        }
        long term = r.term();
        commit(call, new Command.Approve(term, view.config.nodeId(), System.currentTimeMillis()),
                () -> Exchanges.json(call, 200, answer(term, true, view.config.nodeId() + " approved as ACTIVE for term " + term)));
    }

    void maintenance(HttpCall call, Map<String, String> params) {
        if (call.method().equals("GET")) {
            ClusterControl c = view.consensus.control();
            Exchanges.json(call, 200, new MaintenanceInfo(c.maintenanceAt(System.currentTimeMillis()), c.maintenanceUntilEpochMs()));
            return;
        }
        if (!call.method().equals("PUT")) {
            throw ApiException.of(405, ErrorCodes.METHOD_NOT_ALLOWED, "use GET or PUT on /v1/admin/maintenance");
        }
        String enabled = params.get("enabled");
        if (enabled == null) {
            throw ApiException.badRequest(ErrorCodes.INVALID_PARAMETER, "enabled=true|false is required");
        }
        boolean on = Paths.flag(params, "enabled");
        long forMs = params.containsKey("for") ? Durations.parseMillis("for", params.get("for"), MAX_MAINTENANCE_MS, "24h") : 0;
        long now = System.currentTimeMillis();
        long until = on && forMs > 0 ? now + forMs : 0;
        RoleView v = view.consensus.view();
        if (!v.leads()) {
            throw notLeader(call, v, "maintenance");
        }
        commit(call, new Command.SetMaintenance(on, until, now),
                () -> Exchanges.json(call, 200, new MaintenanceInfo(on, until)));
    }

    /** {@code POST /v1/admin/transfer[?to=ID]}: planned switchover; answers once the target leads. */
    void transfer(HttpCall call, Map<String, String> params) {
        String to = params.get("to");
        if (to != null && to.isBlank()) {
            to = null;
        }
        RoleView v = view.consensus.view();
        if (!v.leads()) {
            throw notLeader(call, v, "transfer");
        }
        if (!transferring.compareAndSet(false, true)) {
            throw ApiException.of(409, ErrorCodes.CONFLICT, "a transfer is already in flight on " + view.config.nodeId()
                    + "; wait for its answer before asking for another");
        }
        CompletableFuture<Consensus.Transfer> transfer;
        try {
            transfer = view.consensus.transfer(to);
        } catch (RuntimeException e) {
            transferring.set(false);
            throw e;
        }
        transfer.whenCompleteAsync((t, error) -> Exchanges.answering(call, () -> {
            transferring.set(false); // before the answer: a client that asks again once answered is not refused
            if (error == null) {
                Exchanges.json(call, 200, new TransferResult(t.from(), t.to(), t.fromTerm(), t.term()));
                return;
            }
            Throwable cause = Failures.cause(error);
            if (cause instanceof IllegalArgumentException) {
                throw ApiException.badRequest(ErrorCodes.INVALID_PARAMETER, cause.getMessage());
            }
            if (cause instanceof NotLeaderException) {
                throw notLeader(call, view.consensus.view(), "transfer");
            }
            throw ApiException.of(409, ErrorCodes.CONFLICT, "switchover failed: " + cause.getMessage()
                    + " (the cluster elects a leader by itself)");
        }), responder);
    }

    /** {@code GET /v1/admin/snapshot}: a linearizable backup, taken on the leader ({@link Consensus#exportState}). */
    void snapshot(HttpCall call) {
        RoleView v = view.consensus.view();
        if (!v.leads()) {
            throw notLeader(call, v, "snapshot");
        }
        view.consensus.exportState().whenCompleteAsync((export, error) -> Exchanges.answering(call, () -> {
            if (error == null) {
                byte[] file = BackupFile.encode(export.index(), export.term(), view.consensus.clusterId(),
                        System.currentTimeMillis(), export.content());
                call.setHeader("Baton-Snapshot-Index", Long.toString(export.index()));
                call.setHeader("Baton-Snapshot-Term", Long.toString(export.term()));
                call.send(200, "application/octet-stream", file);
                return;
            }
            Throwable cause = Failures.cause(error);
            if (cause instanceof NotLeaderException) {
                throw notLeader(call, view.consensus.view(), "snapshot");
            }
            throw ApiException.of(503, ErrorCodes.TIMEOUT, "snapshot not taken: " + cause + "; retry");
        }), responder);
    }

    private void commit(HttpCall call, Command command, Runnable onCommitted) {
        view.consensus.submit(command)
                .orTimeout(view.config.requestTimeoutMs(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((result, error) -> Exchanges.answering(call, () -> {
                    if (error == null) {
                        onCommitted.run();
                        return;
                    }
                    Throwable cause = Failures.cause(error);
                    if (cause instanceof NotLeaderException) {
                        throw notLeader(call, view.consensus.view(), "this operation");
                    }
                    throw ApiException.of(503, ErrorCodes.TIMEOUT, "not committed: " + cause + "; retry");
                }), responder);
    }

    /** The same redirect rule as every other request that needs the leader (see {@link NodeView#redirectTarget}). */
    private ApiException notLeader(HttpCall call, RoleView v, String what) {
        LeaderInfo leader = view.redirectTarget(v);
        if (leader != null) {
            return ApiException.redirect(leader, Exchanges.sameRequestOn(leader.url(), call), what + " runs on the leader " + leader.id());
        }
        if (v.role() == Role.FENCED || v.role() == Role.CANDIDATE || v.role() == Role.STANDBY) {
            return ApiException.noLeader(view.config.nodeId() + " is " + v.role() + " and knows no leader to run " + what + " on; retry shortly");
        }
        return ApiException.of(409, ErrorCodes.CONFLICT, "nothing to " + what + ": " + view.config.nodeId() + " is " + v.role()
                + " at term " + v.term());
    }

    private Map<String, Object> answer(long term, boolean promoted, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", view.config.nodeId());
        m.put("term", term);
        m.put("promoted", promoted);
        m.put("message", message);
        return m;
    }
}
