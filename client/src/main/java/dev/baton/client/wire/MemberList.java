package dev.baton.client.wire;

import java.util.List;

/**
 * The member table as one node applied it ({@code GET /v1/admin/members}, and the answer of a
 * change). {@code answeredBy}: the node that answered; {@code leader}: the ACTIVE it knows, or
 * null; {@code lastChange}: the last change applied ("add n4", "promote n4", "remove n2"), empty
 * before the first one (the members are then the ones the nodes were started with); {@code
 * clusterId}: the cluster's id (a node joining with {@code --join} takes it over), null from older
 * nodes.
 */
public record MemberList(String answeredBy, String leader, List<MemberEntry> members, String lastChange, String clusterId) {

    public MemberList {
        members = members == null ? List.of() : List.copyOf(members);
    }
}
