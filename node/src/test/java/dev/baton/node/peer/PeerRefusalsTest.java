package dev.baton.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerRefusalsTest {

    @Test
    void countsEveryRefusalByReason() throws Exception {
        PeerRefusals r = new PeerRefusals();
        InetAddress a = InetAddress.getByName("127.0.0.99");
        for (int i = 0; i < 50; i++) {
            r.refused(Verdict.refuse(Refusal.NOT_TLS, "x"), a);
        }
        r.refused(Verdict.refuse(Refusal.WRONG_HOST, "y"), a);
        assertThat(r.total()).isEqualTo(51);
        assertThat(r.byReason()).isEqualTo(Map.of(Refusal.NOT_TLS, 50L, Refusal.WRONG_HOST, 1L));
    }
}
