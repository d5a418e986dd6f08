package dev.baton.node.raft;

import java.util.HashSet;
import java.util.Set;
import org.jgroups.Address;
import org.jgroups.View;
import org.jgroups.raft.util.Utils;

/** The member ids (raft ids) of a JGroups view: who this node can reach over the cluster transport now. */
final class ViewIds {

    private ViewIds() {}

    /** The raft ids of {@code view}'s members; empty for no view. */
    static Set<String> of(View view) {
        Set<String> ids = new HashSet<>();
        if (view != null) {
            for (Address a : view.getMembers()) {
                String id = Utils.extractRaftId(a);
                if (id != null) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }
}
