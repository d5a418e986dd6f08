package dev.baton.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The records of an entries file are found up to the zeros written ahead, and damage never lands in the last one (a node rightly calls that torn). */
class LogCorruptionTest {

    /** Records in the node's layout (the CRC is left 0: only the framing matters here), then {@code zeros}. */
    private static byte[] file(int zeros, String... payloads) {
        int size = zeros;
        for (String p : payloads) {
            size += LogCorruption.HEADER + (p == null ? 0 : p.length());
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        long index = 1;
        for (String p : payloads) {
            b.putInt(p == null ? -1 : p.length()).putInt(0).putLong(index++).putLong(1).put((byte) 0);
            if (p != null) {
                b.put(p.getBytes(StandardCharsets.US_ASCII));
            }
        }
        return b.array();
    }

    @Test
    void recordsEndAtTheZerosWrittenAhead() {
        List<LogCorruption.Span> spans = LogCorruption.records(file(1000, "abc", null, "hello"));
        assertThat(spans).containsExactly(new LogCorruption.Span(0, 28), new LogCorruption.Span(28, 25),
                new LogCorruption.Span(53, 30));
        assertThat(LogCorruption.records(file(0, "abc"))).hasSize(1);
        assertThat(LogCorruption.records(new byte[4096])).isEmpty();
    }

    @Test
    void aRecordReachingPastTheEndIsNotCounted() {
        byte[] f = file(0, "abc", "defgh");
        ByteBuffer.wrap(f).putInt(28, 1000);
        assertThat(LogCorruption.records(f)).hasSize(1);
    }

    @Test
    void flipsLandInOneRecordThatIsNotTheLast() {
        List<LogCorruption.Span> spans = LogCorruption.records(file(500, "a", "bb", "ccc"));
        for (long seed = 0; seed < 200; seed++) {
            List<Long> offsets = LogCorruption.pick(spans, new SplittableRandom(seed), 3);
            assertThat(offsets).hasSize(3).doesNotHaveDuplicates();
            LogCorruption.Span hit = spans.stream().filter(s -> s.offset() <= offsets.get(0)
                    && offsets.get(0) < s.offset() + s.size()).findFirst().orElseThrow();
            assertThat(hit).isNotEqualTo(spans.get(spans.size() - 1));
            assertThat(offsets).allSatisfy(o -> assertThat(o).isBetween(hit.offset(), hit.offset() + hit.size() - 1));
        }
    }

    @Test
    void oneRecordIsNothingToDamage() {
        assertThat(LogCorruption.pick(LogCorruption.records(file(100, "only")), new SplittableRandom(1), 3)).isEmpty();
    }

    @Test
    void damageChangesExactlyThePickedBytes(@TempDir Path dir) throws IOException {
        byte[] before = file(300, "value-1", "value-2", "value-3");
        Path f = dir.resolve("entries.crc");
        Files.write(f, before);
        LogCorruption.Damage d = LogCorruption.damage(f, new SplittableRandom(7), 2);
        byte[] after = Files.readAllBytes(f);
        assertThat(d.offsets()).hasSize(2);
        for (int i = 0; i < before.length; i++) {
            assertThat(after[i] != before[i]).as("byte %d changed", i).isEqualTo(d.offsets().contains((long) i));
        }
        assertThat(Arrays.copyOfRange(after, after.length - 300, after.length)).containsOnly(0);
        assertThat(d.toString()).contains("2 bytes flipped in record").contains("of 3 of entries.crc");
    }
}
