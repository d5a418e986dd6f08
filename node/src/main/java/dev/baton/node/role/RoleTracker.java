package dev.baton.node.role;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the local node's current {@link RoleState}, logs each transition ({@code became ACTIVE at
 * term 7}) and tells listeners in order.
 *
 * <p>Threading: {@link #update} is called by one thread only (the node's role thread), which
 * therefore owns the transitions; {@link #current()} may be read from any thread.
 */
public final class RoleTracker {

    private static final Logger log = LoggerFactory.getLogger(RoleTracker.class);

    private final String nodeId;
    private final List<RoleListener> listeners = new CopyOnWriteArrayList<>();
    private volatile RoleState current;

    public RoleTracker(String nodeId, long nanos) {
        this.nodeId = nodeId;
        this.current = RoleState.initial(nanos);
    }

    public RoleState current() {
        return current;
    }

    public void addListener(RoleListener listener) {
        listeners.add(listener);
    }

    /** Applies a new observation; returns true if it was a transition. */
    public boolean update(Role role, long term, String leaderId, long nanos) {
        RoleState from = current;
        if (from.sameAs(role, term, leaderId)) {
            return false;
        }
        if (term < from.term()) {
            // terms never go back; an observation with an older term is a stale read of the raft state
            return false;
        }
        RoleState to = new RoleState(role, term, leaderId, nanos);
        current = to;
        if (from.role() != role || from.term() != term) {
            log.info("{} became {} at term {} (leader {}, mono {})", nodeId, role, term, leaderId == null ? "-" : leaderId, nanos);
        } else {
            log.info("{} now follows leader {} at term {}", nodeId, leaderId == null ? "-" : leaderId, term);
        }
        for (RoleListener l : listeners) {
            try {
                l.onTransition(from, to);
            } catch (RuntimeException e) {
                log.warn("role listener {} failed on {} -> {}", l, from.role(), to.role(), e);
            }
        }
        return true;
    }
}
