package dev.baton.node.fencing.sim;

/** A rule of Raft itself was broken inside the model (a bug of the simulation or of the core's term handling). */
final class ModelViolation extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ModelViolation(String message) {
        super(message, null, false, false);
    }
}
