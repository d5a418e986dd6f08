package dev.baton.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.node.http.ConnectionLimits.Admission;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {

    @Test
    void perClientLimitRefusesOnlyThatClient() {
        ConnectionLimits limits = new ConnectionLimits(10, 2);
        assertThat(limits.admit("a")).isEqualTo(Admission.ADMITTED);
        assertThat(limits.admit("a")).isEqualTo(Admission.ADMITTED);
        assertThat(limits.admit("a")).isEqualTo(Admission.CLIENT_FULL);
        assertThat(limits.admit("b")).isEqualTo(Admission.ADMITTED);
        assertThat(limits.open()).isEqualTo(3);
        assertThat(limits.overflow()).isEqualTo(1);
    }

    @Test
    void nodeLimitComesFirstAndReleaseFreesTheSlot() {
        ConnectionLimits limits = new ConnectionLimits(2, 2);
        assertThat(limits.admit("a")).isEqualTo(Admission.ADMITTED);
        assertThat(limits.admit("b")).isEqualTo(Admission.ADMITTED);
        assertThat(limits.admit("c")).isEqualTo(Admission.NODE_FULL);
        limits.release("c", Admission.NODE_FULL);
        limits.release("a", Admission.ADMITTED);
        assertThat(limits.admit("c")).isEqualTo(Admission.ADMITTED);
        assertThat(limits.overflow()).isZero();
    }

    @Test
    void overflowIsBoundedAndThenConnectionsAreDropped() {
        ConnectionLimits limits = new ConnectionLimits(1, 1);
        assertThat(limits.admit("a")).isEqualTo(Admission.ADMITTED);
        int overflow = ConnectionLimits.overflowLimit(1);
        assertThat(overflow).isEqualTo(16);
        for (int i = 0; i < overflow; i++) {
            assertThat(limits.admit("x" + i)).isEqualTo(Admission.NODE_FULL);
        }
        assertThat(limits.admit("y")).isEqualTo(Admission.DROPPED);
        limits.release("y", Admission.DROPPED);
        assertThat(limits.overflow()).isEqualTo(overflow);
        assertThat(ConnectionLimits.overflowLimit(1024)).isEqualTo(128);
    }

    @Test
    void aClientLeavesTheTableWithItsLastConnection() {
        ConnectionLimits limits = new ConnectionLimits(10, 5);
        limits.admit("a");
        limits.admit("a");
        limits.release("a", Admission.ADMITTED);
        assertThat(limits.clients()).isEqualTo(1);
        limits.release("a", Admission.ADMITTED);
        assertThat(limits.clients()).isZero();
        assertThat(limits.open()).isZero();
    }
}
