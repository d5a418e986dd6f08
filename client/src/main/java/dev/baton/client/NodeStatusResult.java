package dev.baton.client;

import dev.baton.client.wire.NodeStatus;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * What one node answered to {@code GET /v1/status}: exactly one of {@code status} and {@code error}
 * is non-null. An unreachable node has a {@link NodeUnreachableException} as its error.
 *
 * @param node the node's base URL as the client knows it
 */
public record NodeStatusResult(URI node, NodeStatus status, BatonException error) {

    public NodeStatusResult {
        Objects.requireNonNull(node, "node");
        if ((status == null) == (error == null)) {
            throw new IllegalArgumentException("exactly one of status and error must be set");
        }
    }

    public static NodeStatusResult ok(URI node, NodeStatus status) {
        return new NodeStatusResult(node, Objects.requireNonNull(status, "status"), null);
    }

    public static NodeStatusResult failed(URI node, BatonException error) {
        return new NodeStatusResult(node, null, Objects.requireNonNull(error, "error"));
    }

    /** True if the node answered with its status. */
    public boolean answered() {
        return status != null;
    }

    /** The status, if the node answered. */
    public Optional<NodeStatus> statusIfAnswered() {
        return Optional.ofNullable(status);
    }
}
