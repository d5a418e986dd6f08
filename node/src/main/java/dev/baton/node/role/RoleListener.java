package dev.baton.node.role;

/**
 * Told of every role transition of the local node, in order, one at a time, on the node's role
 * thread. Must not block for long: a slow listener delays the next transition's delivery.
 */
@FunctionalInterface
public interface RoleListener {
    void onTransition(RoleState from, RoleState to);
}
