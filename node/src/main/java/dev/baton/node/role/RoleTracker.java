package dev.baton.node.role;

import dev.baton.node.health.StorageFault;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the local node's role: holds the current {@link RoleView}, logs each transition
 * ({@code became ACTIVE at term 7}), tells role listeners of every transition and view listeners of
 * every change of the view (a transition, or the leader it follows falling silent or being heard
 * again), both in order.
 *
 * <p>Threading: {@link #update} is called by one thread only (the node's role thread), which
 * therefore owns the transitions and runs the listeners; {@link #view()} and {@link #current()}
 * may be read from any thread.
 */
public final class RoleTracker {

    private static final Logger log = LoggerFactory.getLogger(RoleTracker.class);

    private final String nodeId;
    private final List<RoleListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<RoleView>> viewListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong illegalTransitions = new AtomicLong();
    private volatile RoleView view;

    public RoleTracker(String nodeId, long nanos) {
        this.nodeId = nodeId;
        this.view = RoleView.initial(nanos);
    }

    public RoleState current() {
        return view.state();
    }

    public RoleView view() {
        return view;
    }

    public void addListener(RoleListener listener) {
        listeners.add(listener);
    }

    /** Told of every change of the view, after the role listeners (role thread, in order). */
    public void addViewListener(Consumer<RoleView> listener) {
        viewListeners.add(listener);
    }

    /** Transitions that broke a rule of Raft (see {@link RoleTransitions}) since start. */
    public long illegalTransitions() {
        return illegalTransitions.get();
    }

    /** As {@link #update(Role, long, String, boolean, long)} for a leader this node hears from. */
    public boolean update(Role role, long term, String leaderId, long nanos) {
        return update(role, term, leaderId, true, nanos);
    }

    /** As {@link #update(Role, long, String, boolean, StorageFault, long)} with healthy storage. */
    public boolean update(Role role, long term, String leaderId, boolean leaderLive, long nanos) {
        return update(role, term, leaderId, leaderLive, null, nanos);
    }

    /** Applies a new observation; returns true if it was a role transition. */
    public boolean update(Role role, long term, String leaderId, boolean leaderLive, StorageFault fault, long nanos) {
        RoleView before = this.view;
        RoleState from = before.state();
        if (term < from.term()) {
            // terms never go back; an observation with an older term is a stale read of the raft state
            return false;
        }
        boolean transition = !from.sameAs(role, term, leaderId);
        RoleState to = transition ? new RoleState(role, term, leaderId, nanos) : from;
        RoleView next = new RoleView(to, leaderLive, fault);
        if (!transition && next.sameAs(before)) {
            return false;
        }
        if (transition) {
            String illegal = RoleTransitions.illegal(from, to);
            if (illegal != null) {
                illegalTransitions.incrementAndGet();
                log.error("BUG: illegal role transition of {}: {} -> {} ({})", nodeId, from, to, illegal);
            }
        }
        this.view = next;
        if (transition) {
            if (role == Role.UNHEALTHY && from.role() != role) {
                log.warn("{} became UNHEALTHY at term {} (leader {}, mono {}): {}", nodeId, term,
                        leaderId == null ? "-" : leaderId, nanos, fault == null ? "storage fault" : fault.reason());
            } else if (from.role() != role || from.term() != term) {
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
        } else {
            log.debug("{}: leader {} of term {} is {}", nodeId, leaderId, term, leaderLive ? "heard again" : "silent");
        }
        for (Consumer<RoleView> l : viewListeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                log.warn("view listener {} failed on {}", l, next, e);
            }
        }
        return transition;
    }
}
