package dev.baton.client;

import java.net.URI;

/**
 * One specific node could not be reached: connection refused, connect or request timeout, or a
 * broken connection. Thrown by calls addressed to one node ({@link BatonClient#status(URI)}) and
 * reported per node by {@link BatonClient#statusAll()}; calls routed to the active retry other
 * nodes instead.
 */
public final class NodeUnreachableException extends BatonException {

    private final URI node;

    public NodeUnreachableException(URI node, String reason, Throwable cause) {
        super(node + " is unreachable: " + reason, cause);
        this.node = node;
    }

    public URI node() {
        return node;
    }
}
