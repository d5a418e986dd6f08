package dev.baton.node.health;

/**
 * What another member last said of its storage: {@code fault} is null when healthy, else its
 * reason; {@code receivedNanos} is when this node heard it ({@link System#nanoTime()}).
 */
public record PeerHealth(String fault, long receivedNanos) {

    public boolean healthy() {
        return fault == null;
    }
}
