package dev.baton.node.fencing.sim;

/** What reaches one simulated process: a message or one of its own timers. Immutable. */
sealed interface NodeInput {

    record Receive(int from, SimMessage message) implements NodeInput {}

    /** The lease timer, every renewNanos of the node's clock. */
    record Tick() implements NodeInput {}

    /** A {@code WakeAt} the core asked for. */
    record Wake() implements NodeInput {}

    /** A {@code Probe} the core asked for is due. */
    record ProbeDue(String leaderId) implements NodeInput {}

    /** The port probe's result came back. */
    record ProbeResult(String leaderId, boolean gone) implements NodeInput {}

    /** The failure detector may have given up on the leader (checked against the current deadline). */
    record ElectionDue() implements NodeInput {}

    /** An operator asks this node to hand its term over to {@code target}. */
    record SwitchoverRequested(int target) implements NodeInput {}

    /** The next step of this node's switchover is due. */
    record SwitchoverStep() implements NodeInput {}

    /** SIGTERM: step down, release the followers, then leave (close the channel). */
    record Leave() implements NodeInput {}

    /** A view change: {@code peer} (re)joined the group. */
    record PeerJoined(int peer) implements NodeInput {}

    /** FD_SOCK2: the connection to {@code peer} closed, its process is gone. */
    record PeerClosed(int peer) implements NodeInput {}
}
