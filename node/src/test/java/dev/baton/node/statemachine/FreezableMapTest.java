package dev.baton.node.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FreezableMapTest {

    private final FreezableMap<String> map = new FreezableMap<>();

    @Test
    void theFrozenViewKeepsTheMomentOfTheFreezeWhileTheMapChanges() {
        map.put("a", "1");
        map.put("b", "2");
        map.put("c", "3");
        FreezableMap.Frozen<String> f = map.freeze();
        map.put("a", "1'");
        map.remove("b");
        map.put("d", "4");

        assertThat(f.entries()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"), Map.entry("c", "3"));
        assertThat(map.get("a")).isEqualTo("1'");
        assertThat(map.get("b")).isNull();
        assertThat(map.get("d")).isEqualTo("4");
        assertThat(map.size()).isEqualTo(3);
        assertThat(entries(map.all())).containsExactly(Map.entry("a", "1'"), Map.entry("c", "3"), Map.entry("d", "4"));

        map.thaw(f);
        assertThat(map.isFrozen()).isFalse();
        assertThat(entries(map.all())).containsExactly(Map.entry("a", "1'"), Map.entry("c", "3"), Map.entry("d", "4"));
        assertThat(map.size()).isEqualTo(3);
    }

    @Test
    void aKeyAddedAndRemovedDuringTheFreezeLeavesNoTrace() {
        map.put("a", "1");
        FreezableMap.Frozen<String> f = map.freeze();
        map.put("x", "9");
        map.remove("x");
        map.remove("a");
        map.put("a", "again");
        assertThat(map.size()).isEqualTo(1);
        map.thaw(f);
        assertThat(entries(map.all())).containsExactly(Map.entry("a", "again"));
    }

    @Test
    void oneFreezeAtATimeAndAClearEndsTheFreezeWithoutTouchingItsView() {
        map.put("a", "1");
        FreezableMap.Frozen<String> f = map.freeze();
        assertThatThrownBy(map::freeze).isInstanceOf(IllegalStateException.class);

        map.clear(); // a snapshot installed meanwhile
        map.put("z", "26");
        assertThat(f.entries()).containsExactly(Map.entry("a", "1"));
        map.thaw(f); // of the freeze the clear ended: nothing to fold in
        assertThat(entries(map.all())).containsExactly(Map.entry("z", "26"));
        assertThat(map.size()).isEqualTo(1);
        map.freeze(); // a new freeze is possible again
    }

    /** Random operations against a TreeMap model, with freezes and thaws in between. */
    @Test
    void behavesLikeATreeMapAcrossRandomFreezesAndThaws() {
        Random random = new Random(42);
        TreeMap<String, String> model = new TreeMap<>();
        FreezableMap.Frozen<String> frozen = null;
        TreeMap<String, String> atFreeze = null;
        for (int step = 0; step < 20_000; step++) {
            String key = "k" + random.nextInt(200);
            int op = random.nextInt(100);
            if (op < 45) {
                String v = "v" + step;
                map.put(key, v);
                model.put(key, v);
            } else if (op < 75) {
                map.remove(key);
                model.remove(key);
            } else if (op < 85) {
                String prefix = "k" + random.nextInt(20);
                assertThat(entries(map.from(prefix))).as("from %s at step %d", prefix, step)
                        .containsExactlyElementsOf(new ArrayList<>(model.tailMap(prefix, true).entrySet()));
            } else if (op < 92 && frozen == null) {
                frozen = map.freeze();
                atFreeze = new TreeMap<>(model);
            } else if (op < 99 && frozen != null) {
                assertThat(frozen.entries()).as("frozen view at step %d", step).isEqualTo(atFreeze);
                map.thaw(frozen);
                frozen = null;
            } else if (op == 99) {
                map.clear();
                model.clear();
                frozen = null;
            }
            assertThat(map.get(key)).isEqualTo(model.get(key));
            assertThat(map.size()).as("size at step %d", step).isEqualTo(model.size());
        }
        assertThat(entries(map.all())).containsExactlyElementsOf(new ArrayList<>(model.entrySet()));
    }

    private static List<Map.Entry<String, String>> entries(Iterator<Map.Entry<String, String>> it) {
        Map<String, String> out = new LinkedHashMap<>();
        it.forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return new ArrayList<>(out.entrySet());
    }
}
