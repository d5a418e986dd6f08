package dev.baton.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.client.wire.ErrorCodes;
import dev.baton.client.wire.LeaderInfo;
import dev.baton.client.wire.MemberEntry;
import dev.baton.client.wire.MemberInfo;
import dev.baton.client.wire.MemberList;
import dev.baton.node.Failures;
import dev.baton.node.NotLeaderException;
import dev.baton.node.config.ConfigException;
import dev.baton.node.config.MemberSpec;
import dev.baton.node.membership.MemberChanges;
import dev.baton.node.membership.MembershipException;
import dev.baton.node.role.Role;
import dev.baton.node.role.RoleView;
import dev.baton.node.statemachine.ClusterMember;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code /v1/admin/members}: the replicated member table. {@code GET} answers from this node's
 * applied table; {@code POST} (body {@code {"id","host","raftPort","httpPort"}} or {@code
 * ?spec=ID=HOST:RAFT_PORT:HTTP_PORT}) adds a joining member and {@code DELETE
 * /v1/admin/members/ID} removes one, both on the ACTIVE (others redirect there) and answered once
 * committed. Removing the ACTIVE itself makes it hand over first; the answer then redirects to the
 * new leader, which removes it.
 */
final class MembersHandler {

    private static final int MAX_BODY = 4096;

    private final NodeView view;
    private final Executor responder;

    MembersHandler(NodeView view, Executor responder) {
        this.view = view;
        this.responder = responder;
    }

    void handle(HttpCall call, String rest, Map<String, String> params) throws IOException {
        String method = call.method();
        if (rest.isEmpty() || rest.equals("/")) {
            switch (method) {
                case "GET" -> Exchanges.json(call, 200, list());
                case "POST" -> add(call, params);
                default -> throw ApiException.of(405, ErrorCodes.METHOD_NOT_ALLOWED, "use GET or POST on /v1/admin/members");
            }
            return;
        }
        String id = Paths.decodePath(rest.substring(1));
        if (!method.equals("DELETE")) {
            throw ApiException.of(405, ErrorCodes.METHOD_NOT_ALLOWED, "use DELETE on /v1/admin/members/" + id);
        }
        remove(call, id);
    }

    MemberList list() {
        return list(view.consensus.memberTable());
    }

    /**
     * {@code table} as the answer, with what this node sees of each member. A change answers with
     * the table it committed: this node's applied table is republished on another thread, and may
     * not show the change yet when the commit completes.
     */
    private MemberList list(List<ClusterMember> table) {
        RoleView v = view.consensus.view();
        Set<String> connected = new HashSet<>();
        view.consensus.members().forEach(s -> {
            if (s.connected()) {
                connected.add(s.id());
            }
        });
        Map<String, Long> lag = view.consensus.followerLagEntries();
        List<MemberEntry> rows = new ArrayList<>();
        for (ClusterMember m : table) {
            rows.add(new MemberEntry(m.id(), m.host(), m.raftPort(), m.httpPort(),
                    view.config.httpUrl(MemberChanges.spec(m)),
                    m.voter() ? MemberInfo.VOTER : MemberInfo.JOINING, connected.contains(m.id()) || m.id().equals(view.config.nodeId()),
                    lag.get(m.id())));
        }
        LeaderInfo leader = view.leader(v);
        return new MemberList(view.config.nodeId(), leader == null ? null : leader.id(), rows, view.consensus.lastMemberChange(),
                view.consensus.clusterId());
    }

    private void add(HttpCall call, Map<String, String> params) throws IOException {
        MemberSpec spec = parse(call, params);
        RoleView v = view.consensus.view();
        if (!v.leads() || v.role() != Role.ACTIVE) {
            throw notLeader(call, v, "adding a member");
        }
        answerWhenDone(call, view.consensus.addMember(spec), 201, "adding a member");
    }

    private void remove(HttpCall call, String id) {
        RoleView v = view.consensus.view();
        if (!v.leads() || v.role() != Role.ACTIVE) {
            throw notLeader(call, v, "removing a member");
        }
        answerWhenDone(call, view.consensus.removeMember(id), 200, "removing a member");
    }

    private void answerWhenDone(HttpCall call, CompletableFuture<List<ClusterMember>> change, int status, String what) {
        change.whenCompleteAsync((committed, error) -> Exchanges.answering(call, () -> {
            if (error == null) {
                Exchanges.json(call, status, list(committed));
                return;
            }
            Throwable cause = Failures.cause(error);
            if (cause instanceof MembershipException m) {
                throw ApiException.of(m.status(), m.code(), m.getMessage());
            }
            if (cause instanceof NotLeaderException) {
                throw notLeader(call, view.consensus.view(), what);
            }
            throw ApiException.of(503, ErrorCodes.TIMEOUT, what + " did not complete: " + cause.getMessage()
                    + "; GET /v1/admin/members shows where it stands, and the leader completes a half-done change by itself");
        }), responder);
    }

    private static MemberSpec parse(HttpCall call, Map<String, String> params) throws IOException {
        try {
            String spec = params.get("spec");
            if (spec != null) {
                return MemberSpec.parse(spec);
            }
            byte[] body = call.body(MAX_BODY);
            if (body.length == 0) {
                throw ApiException.badRequest(ErrorCodes.INVALID_PARAMETER,
                        "give the member as ?spec=ID=HOST:RAFT_PORT:HTTP_PORT or a JSON body {\"id\",\"host\",\"raftPort\",\"httpPort\"}");
            }
            JsonNode n;
            try {
                n = Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw ApiException.badRequest(ErrorCodes.MALFORMED_REQUEST, "the body is not JSON: " + e.getMessage());
            }
            if (n == null || !n.isObject() || !n.path("id").isTextual() || !n.path("host").isTextual()
                    || !n.path("raftPort").canConvertToInt() || !n.path("httpPort").canConvertToInt()) {
                throw ApiException.badRequest(ErrorCodes.INVALID_PARAMETER,
                        "the body needs \"id\" and \"host\" (strings) and \"raftPort\" and \"httpPort\" (numbers)");
            }
            return new MemberSpec(n.get("id").asText(), n.get("host").asText(), n.get("raftPort").asInt(), n.get("httpPort").asInt());
        } catch (ConfigException e) {
            throw ApiException.badRequest(ErrorCodes.INVALID_PARAMETER, e.getMessage().replace("--members: ", ""));
        }
    }

    private ApiException notLeader(HttpCall call, RoleView v, String what) {
        LeaderInfo leader = view.redirectTarget(v);
        if (leader != null) {
            return ApiException.redirect(leader, Exchanges.sameRequestOn(leader.url(), call), what + " runs on the ACTIVE " + leader.id());
        }
        return ApiException.noLeader(view.config.nodeId() + " is " + v.role() + " and knows no ACTIVE for " + what + "; retry shortly");
    }
}
