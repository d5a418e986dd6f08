package dev.baton.chaos;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Bit rot for a stopped node's {@code entries.crc}: where its records are, and which bytes to flip
 * so that the node must refuse to start. Pure, but for {@link #damage}.
 *
 * <p>The layout is the node's {@code LogRecord}: {@code int length} (-1: no command), {@code int
 * crc}, {@code long index}, {@code long term}, {@code byte flags}, then the payload; after the last
 * record the zeros the log wrote ahead. The last record is left alone: a bad last record followed
 * by zeros is what a crash mid-append leaves, and the node rightly discards it as a torn write
 * without refusing. Any byte of another record is corruption: the CRC32C covers all but the length
 * field, and a damaged length is caught by the sound record that still follows.
 */
final class LogCorruption {

    static final int HEADER = 25;

    /** One record of the file: its offset and its size on disk. */
    record Span(long offset, int size) {}

    /** What {@link #damage} did: the bytes flipped (file offsets) inside the record at {@code record}. */
    record Damage(Path file, Span record, int recordNumber, int records, List<Long> offsets) {
        @Override
        public String toString() {
            return offsets.size() + " bytes flipped in record " + recordNumber + " of " + records + " of " + file.getFileName()
                    + " (bytes " + offsets + ")";
        }
    }

    private LogCorruption() {}

    /** The records of {@code file}, in order, up to the zeros written ahead, the end, or the first record that does not fit. */
    static List<Span> records(byte[] file) {
        List<Span> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(file);
        int at = 0;
        while (file.length - at >= HEADER && !zeros(file, at, HEADER)) {
            int len = b.getInt(at);
            if (len < -1 || len > file.length - at - HEADER) {
                break;
            }
            int size = HEADER + Math.max(len, 0);
            out.add(new Span(at, size));
            at += size;
        }
        return out;
    }

    /** {@code count} distinct offsets inside one record that is not the last; empty if the file has fewer than two records. */
    static List<Long> pick(List<Span> records, SplittableRandom random, int count) {
        if (records.size() < 2) {
            return List.of();
        }
        Span s = records.get(random.nextInt(records.size() - 1));
        TreeSet<Long> offsets = new TreeSet<>();
        while (offsets.size() < Math.min(count, s.size())) {
            offsets.add(s.offset() + random.nextInt(s.size()));
        }
        return List.copyOf(offsets);
    }

    /**
     * Flips {@code count} bytes of one record of {@code file} (each XORed with a non-zero mask, so
     * each really changes); null if the file has fewer than two records and nothing was changed.
     * The node must not be running.
     */
    static Damage damage(Path file, SplittableRandom random, int count) throws IOException {
        List<Span> records = records(Files.readAllBytes(file));
        List<Long> offsets = pick(records, random, count);
        if (offsets.isEmpty()) {
            return null;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            for (long o : offsets) {
                f.seek(o);
                int old = f.read();
                f.seek(o);
                f.write(old ^ (1 + random.nextInt(255)));
            }
            f.getFD().sync();
        }
        Span hit = records.stream().filter(s -> s.offset() <= offsets.get(0) && offsets.get(0) < s.offset() + s.size())
                .findFirst().orElseThrow();
        return new Damage(file, hit, records.indexOf(hit) + 1, records.size(), offsets);
    }

    private static boolean zeros(byte[] b, int from, int n) {
        for (int i = from; i < from + n; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
