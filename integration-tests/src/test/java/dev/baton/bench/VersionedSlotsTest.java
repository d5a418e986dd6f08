package dev.baton.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The background load's lost-write rule: the newest acknowledged value of a slot, or a later attempt of it. */
class VersionedSlotsTest {

    /** Writes 0..5 into 2 slots; 0..3 acknowledged, 4 and 5 attempted without an answer. */
    private static VersionedSlots history() {
        VersionedSlots s = new VersionedSlots("fl/c000/", 2);
        for (int i = 0; i < 6; i++) {
            long n = s.next();
            if (n <= 3) {
                s.acked(n);
            }
        }
        return s;
    }

    private static Map<String, String> store(String slot0, String slot1) {
        Map<String, String> m = new HashMap<>();
        if (slot0 != null) {
            m.put("fl/c000/0000", slot0);
        }
        if (slot1 != null) {
            m.put("fl/c000/0001", slot1);
        }
        return m;
    }

    @Test
    void theNewestAcknowledgedValuesPass() {
        assertThat(history().missing(store("2", "3"))).isEmpty();
    }

    @Test
    void aLaterAttemptThatCommittedWithoutAnAnswerSupersedes() {
        assertThat(history().missing(store("4", "5"))).isEmpty();
    }

    @Test
    void anOlderValueIsALostWrite() {
        assertThat(history().missing(store("0", "3"))).hasSize(1).first().asString().startsWith("fl/c000/0000=2");
    }

    @Test
    void anAbsentKeyIsALostWrite() {
        assertThat(history().missing(store("2", null))).hasSize(1).first().asString().startsWith("fl/c000/0001=3");
    }

    @Test
    void aNeverAttemptedOrForeignValueIsALostWrite() {
        assertThat(history().missing(store("6", "2"))).hasSize(2);
    }

    @Test
    void aSlotNeverAcknowledgedIsNotChecked() {
        VersionedSlots s = new VersionedSlots("fl/c001/", 4);
        s.acked(s.next());
        s.next(); // attempted, no answer
        assertThat(s.missing(Map.of("fl/c001/0000", "0"))).isEmpty();
    }
}
