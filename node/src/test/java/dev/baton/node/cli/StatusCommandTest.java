package dev.baton.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.client.AccessDeniedException;
import dev.baton.client.NodeStatusResult;
import dev.baton.client.NodeUnreachableException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusCommandTest {

    private static final URI N1 = URI.create("http://127.0.0.11:8080");
    private static final URI N2 = URI.create("http://127.0.0.12:8080");

    private static NodeStatusResult answered(URI node, String role) {
        return NodeStatusResult.ok(node, OutputTest.status("n", node, role, null, 1, 1));
    }

    private static NodeStatusResult unreachable(URI node) {
        return NodeStatusResult.failed(node, new NodeUnreachableException(node, "connection refused", null));
    }

    @Test
    void exitZeroWhenSomeNodeIsActive() {
        assertThat(StatusCommand.exitCode(List.of(answered(N1, "ACTIVE"), unreachable(N2)))).isEqualTo(0);
    }

    @Test
    void exitOneWhenNodesAnswerButNoneIsActive() {
        assertThat(StatusCommand.exitCode(List.of(answered(N1, "CANDIDATE"), unreachable(N2)))).isEqualTo(1);
    }

    @Test
    void exitThreeWhenNoNodeAnswers() {
        assertThat(StatusCommand.exitCode(List.of(unreachable(N1), unreachable(N2)))).isEqualTo(3);
    }

    @Test
    void exitEightWhenTheTokenIsRefused() {
        NodeStatusResult denied = NodeStatusResult.failed(N1, new AccessDeniedException(401, "unauthorized", "no token", N1));
        assertThat(StatusCommand.exitCode(List.of(denied, unreachable(N2)))).isEqualTo(8);
    }

    @Test
    void countsActiveNodesForTheSplitBrainWarning() {
        assertThat(StatusCommand.activeCount(List.of(answered(N1, "ACTIVE"), answered(N2, "ACTIVE")))).isEqualTo(2);
    }
}
