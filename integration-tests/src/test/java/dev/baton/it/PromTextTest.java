package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PromTextTest {

    @Test
    void parsesSamplesLabelsAndEscapes() {
        PromText p = PromText.parse("""
                # HELP a_total things
                # TYPE a_total counter
                a_total{x="1",y="q\\"\\\\\\n"} 3.0
                # TYPE h histogram
                h_bucket{le="+Inf"} 2
                h_count 2
                g -Inf 1700000000000
                """);

        assertThat(p.require("a_total", "x", "1", "y", "q\"\\\n")).isEqualTo(3.0);
        assertThat(p.require("h_bucket", "le", "+Inf")).isEqualTo(2.0);
        assertThat(p.require("g")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(p.all("h_count")).extracting(PromText.Sample::labels).containsExactly(Map.of());
    }

    @Test
    void refusesWhatTheFormatDoesNotAllow() {
        String[] bad = {
            "1a 1\n", "a{b=1} 1\n", "a{b=\"1\",b=\"2\"} 1\n", "a{b=\"\\x\"} 1\n", "a one\n", "a 1 2 3\n", "a 1",
            "# TYPE a counter\n# TYPE a counter\n", "# TYPE a wrong\n", "a 1\n# TYPE a gauge\n", "a 1\na 2\n", "a{b=\"1\" 1\n",
        };
        for (String text : bad) {
            assertThatThrownBy(() -> PromText.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
