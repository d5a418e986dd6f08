package dev.baton.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.node.CorruptStorageException;
import dev.baton.node.config.ConfigException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.jgroups.protocols.raft.LogEntries;
import org.jgroups.protocols.raft.LogEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksummedLogTest {

    @TempDir
    Path tmp;

    private ChecksummedLog log;

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    private Path dir() {
        return tmp.resolve("n1.log");
    }

    private Path entriesFile() {
        return dir().resolve(ChecksummedLog.ENTRIES);
    }

    private ChecksummedLog open(boolean repair) throws Exception {
        if (log != null) {
            log.close();
        }
        log = new ChecksummedLog();
        log.init(dir().toString(), Map.of(ChecksummedLog.REPAIR, String.valueOf(repair)));
        return log;
    }

    private static byte[] value(int i) {
        return ("value-%02d".formatted(i)).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(LogEntry e) {
        return new String(e.command(), e.offset(), e.length(), StandardCharsets.UTF_8);
    }

    /** Appends entries 1..n in batches of three, term 1 then 2 from entry 6, and commits them. */
    private void appendValues(int n) {
        LogEntries batch = new LogEntries();
        long start = log.lastAppended() + 1;
        for (int i = (int) start; i <= n; i++) {
            batch.add(new LogEntry(i < 6 ? 1 : 2, value(i)));
            if (batch.size() == 3 || i == n) {
                log.append(start, batch);
                start = i + 1;
                batch = new LogEntries();
            }
        }
        log.commitIndex(n);
    }

    private long offsetOf(String needle) throws IOException {
        byte[] all = Files.readAllBytes(entriesFile());
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + n.length <= all.length; i++) {
            if (Arrays.equals(all, i, i + n.length, n, 0, n.length)) {
                return i;
            }
        }
        throw new AssertionError(needle + " not in " + entriesFile());
    }

    private void overwrite(Path file, long offset, byte[] bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            f.write(bytes);
        }
    }

    @Test
    void entriesSurviveReopenWithTermsAndCommitIndex() throws Exception {
        open(false);
        appendValues(10);
        log.currentTerm(2);
        open(false);
        assertThat(log.firstAppended()).isEqualTo(1);
        assertThat(log.lastAppended()).isEqualTo(10);
        assertThat(log.commitIndex()).isEqualTo(10);
        assertThat(log.currentTerm()).isEqualTo(2);
        for (int i = 1; i <= 10; i++) {
            LogEntry e = log.get(i);
            assertThat(text(e)).isEqualTo("value-%02d".formatted(i));
            assertThat(e.term()).isEqualTo(i < 6 ? 1 : 2);
        }
        assertThat(log.get(11)).isNull();
        assertThat(log.get(0)).isNull();
    }

    @Test
    void aConflictingSuffixIsReplaced() throws Exception {
        open(false);
        appendValues(5);
        log.commitIndex(3); // RAFT replaces only entries it has not committed
        log.deleteAllEntriesStartingFrom(4);
        assertThat(log.lastAppended()).isEqualTo(3);
        log.append(4, new LogEntries().add(new LogEntry(3, "other".getBytes(StandardCharsets.UTF_8))));
        open(false);
        assertThat(log.lastAppended()).isEqualTo(4);
        assertThat(text(log.get(4))).isEqualTo("other");
        assertThat(log.get(4).term()).isEqualTo(3);
    }

    @Test
    void aChangedValueRefusesTheStartNamingFileOffsetAndIndex() throws Exception {
        open(false);
        appendValues(10);
        log.close();
        long at = offsetOf("value-05");
        overwrite(entriesFile(), at, "EVIL!-05".getBytes(StandardCharsets.UTF_8));
        long recordStart = at - LogRecord.HEADER;

        assertThatThrownBy(() -> open(false))
                .isInstanceOf(CorruptStorageException.class)
                .hasMessageContaining(entriesFile().toString())
                .hasMessageContaining("log entry 5 at byte offset " + recordStart)
                .hasMessageContaining("checksum mismatch")
                .hasMessageContaining("--repair-log");
    }

    @Test
    void aFlippedHeaderByteIsDetectedToo() throws Exception {
        open(false);
        appendValues(10);
        log.close();
        long recordStart = offsetOf("value-03") - LogRecord.HEADER;
        overwrite(entriesFile(), recordStart + 17, new byte[] {0x7f}); // inside the term

        assertThatThrownBy(() -> open(false))
                .isInstanceOf(CorruptStorageException.class)
                .hasMessageContaining("log entry 3 at byte offset " + recordStart);
    }

    @Test
    void repairDiscardsFromTheFirstBadEntryAndLowersTheCommitIndex() throws Exception {
        open(false);
        appendValues(10);
        log.close();
        overwrite(entriesFile(), offsetOf("value-05"), "EVIL!-05".getBytes(StandardCharsets.UTF_8));
        overwrite(entriesFile(), offsetOf("value-08"), new byte[16]);

        open(true);
        assertThat(log.lastAppended()).isEqualTo(4);
        assertThat(log.commitIndex()).isEqualTo(4);
        for (int i = 1; i <= 4; i++) {
            assertThat(text(log.get(i))).isEqualTo("value-%02d".formatted(i));
        }
        // committed entries are gone: the node must not vote until it holds them again
        assertThat(log.health().fault().part()).isEqualTo(dev.baton.node.health.StorageHealth.Part.LOG_DATA);
        assertThat(log.health().fault().reason()).contains("entries 5..10 were committed");
        log.appendReplicated(5, new LogEntries().add(new LogEntry(1, value(5))));
        assertThat(log.health().healthy()).isFalse(); // 6..10 still missing

        // the repaired log takes the leader's entries again and is sound on the next start
        appendValues(10);
        assertThat(log.health().healthy()).isTrue();
        open(false);
        assertThat(text(log.get(5))).isEqualTo("value-05");
        assertThat(log.lastAppended()).isEqualTo(10);
    }

    @Test
    void aTornTailIsDiscardedAsIfTheWriteNeverHappened() throws Exception {
        open(false);
        appendValues(10);
        log.close();
        long lastRecord = offsetOf("value-10") - LogRecord.HEADER;
        try (RandomAccessFile f = new RandomAccessFile(entriesFile().toFile(), "rw")) {
            f.setLength(offsetOf("value-10") + 5); // the crash cut the last record short
        }

        open(false);
        assertThat(log.lastAppended()).isEqualTo(9);
        assertThat(log.commitIndex()).isEqualTo(9);
        assertThat(Files.size(entriesFile())).isEqualTo(lastRecord);
        log.append(10, new LogEntries().add(new LogEntry(2, value(10))));
        open(false);
        assertThat(text(log.get(10))).isEqualTo("value-10");
    }

    @Test
    void aHalfWrittenHeaderAtTheEndIsATornTail() throws Exception {
        open(false);
        appendValues(3);
        log.close();
        long end = offsetOf("value-03") + "value-03".length();
        byte[] partial = new byte[10];
        Arrays.fill(partial, (byte) 0x11);
        overwrite(entriesFile(), end, partial); // into the zeros written ahead
        open(false);
        assertThat(log.lastAppended()).isEqualTo(3);
        try (RandomAccessFile f = new RandomAccessFile(entriesFile().toFile(), "rw")) {
            f.setLength(end + 10); // and at the very end of the file
        }
        overwrite(entriesFile(), end, partial);
        open(false);
        assertThat(log.lastAppended()).isEqualTo(3);
    }

    @Test
    void zerosInsideTheLogAreDamageNotItsEnd() throws Exception {
        open(false);
        appendValues(10);
        log.close();
        long record4 = offsetOf("value-04") - LogRecord.HEADER;
        overwrite(entriesFile(), record4, new byte[LogRecord.HEADER + 8]);
        assertThatThrownBy(() -> open(false))
                .isInstanceOf(CorruptStorageException.class)
                .hasMessageContaining("log entry 4 at byte offset " + record4)
                .hasMessageContaining("zeros inside the log");
    }

    @Test
    void aDamagedLastRecordFollowedByTheZerosWrittenAheadIsATornWrite() throws Exception {
        open(false);
        appendValues(10);
        log.close();
        overwrite(entriesFile(), offsetOf("value-10"), new byte[8]); // its payload never reached the disk
        open(false);
        assertThat(log.lastAppended()).isEqualTo(9);
    }

    /** Flips bits of the big-endian length field of the record holding {@code value-NN}. */
    private long flipLength(String value, int mask) throws IOException {
        long record = offsetOf(value) - LogRecord.HEADER;
        try (RandomAccessFile f = new RandomAccessFile(entriesFile().toFile(), "rw")) {
            f.seek(record);
            int len = f.readInt();
            f.seek(record);
            f.writeInt(len ^ mask);
        }
        return record;
    }

    @Test
    void aDamagedLengthThatReachesPastTheEndOfTheFileIsCorruptionNotATornWrite() throws Exception {
        open(false);
        appendValues(10);
        log.close();
        long record3 = flipLength("value-03", 1 << 21); // one bit: the record now claims 2 MiB more than the file holds

        assertThatThrownBy(() -> open(false))
                .isInstanceOf(CorruptStorageException.class)
                .hasMessageContaining("log entry 3 at byte offset " + record3)
                .hasMessageContaining("cut off by end of file")
                .hasMessageContaining("--repair-log");
        open(true);
        assertThat(log.lastAppended()).isEqualTo(2);
    }

    @Test
    void aDamagedLengthThatReachesIntoTheZerosWrittenAheadIsCorruptionToo() throws Exception {
        open(false);
        appendValues(10);
        log.close();
        long record9 = flipLength("value-09", 1 << 8); // past value-10, into the zeros

        assertThatThrownBy(() -> open(false))
                .isInstanceOf(CorruptStorageException.class)
                .hasMessageContaining("log entry 9 at byte offset " + record9);
    }

    @Test
    void aDamagedLengthOfTheLastRecordStaysATornWrite() throws Exception {
        open(false);
        appendValues(10);
        log.close();
        flipLength("value-10", 1 << 21); // nothing sound after it: indistinguishable from a crash mid-append
        open(false);
        assertThat(log.lastAppended()).isEqualTo(9);
    }

    @Test
    void anEntryDamagedWhileRunningIsNeverReturned() throws Exception {
        open(false);
        appendValues(10);
        overwrite(entriesFile(), offsetOf("value-07"), "EVIL!-07".getBytes(StandardCharsets.UTF_8));

        assertThat(log.get(7)).isNull();
        assertThat(text(log.get(6))).isEqualTo("value-06");
        StringBuilder seen = new StringBuilder();
        log.forEach((e, i) -> seen.append(i).append(' '), 1, 10);
        assertThat(seen.toString()).isEqualTo("1 2 3 4 5 6 ");
    }

    @Test
    void aSnapshotIsStoredBeforeTheLogIsCutAndSurvivesReopen() throws Exception {
        open(false);
        appendValues(10);
        log.setSnapshot(ByteBuffer.wrap("state@8".getBytes(StandardCharsets.UTF_8)));
        log.commitIndex(8);
        log.truncate(9); // RAFT passes its commit index; the log never cuts past it
        assertThat(log.firstAppended()).isEqualTo(8);
        assertThat(log.lastAppended()).isEqualTo(10);

        open(false);
        assertThat(log.firstAppended()).isEqualTo(8);
        assertThat(text(log.get(9))).isEqualTo("value-09");
        assertThat(log.get(7)).isNull();
        assertThat(new String(Files.readAllBytes(dir().resolve(SnapshotFile.NAME)), StandardCharsets.UTF_8))
                .endsWith("state@8");
        ByteBuffer sn = log.getSnapshot();
        assertThat(new String(sn.array(), sn.position(), sn.remaining(), StandardCharsets.UTF_8)).isEqualTo("state@8");
    }

    @Test
    void aDamagedSnapshotRefusesTheStartAndRepairStartsEmpty() throws Exception {
        open(false);
        appendValues(10);
        log.setSnapshot(ByteBuffer.wrap("state@10".getBytes(StandardCharsets.UTF_8)));
        log.truncate(10);
        log.close();
        Path snapshot = dir().resolve(SnapshotFile.NAME);
        overwrite(snapshot, Files.size(snapshot) - 2, "XX".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> open(false))
                .isInstanceOf(CorruptStorageException.class)
                .hasMessageContaining(snapshot.toString())
                .hasMessageContaining("checksum mismatch");
        open(true);
        assertThat(log.getSnapshot()).isNull();
        assertThat(log.lastAppended()).isZero();
        assertThat(log.commitIndex()).isZero();
    }

    @Test
    void aCutInterruptedByACrashIsFinishedAtStart() throws Exception {
        open(false);
        appendValues(10);
        log.close();
        // the crash came after the snapshot was renamed into place, before the log was rewritten
        new SnapshotFile(dir()).write(6, 2, ByteBuffer.wrap("state@6".getBytes(StandardCharsets.UTF_8)));

        open(false);
        assertThat(log.firstAppended()).isEqualTo(6);
        assertThat(log.lastAppended()).isEqualTo(10);
    }

    @Test
    void aSnapshotInstalledFromTheLeaderLeavesADummyEntry() throws Exception {
        open(false);
        appendValues(3);
        log.setSnapshot(ByteBuffer.wrap("leader-state@50".getBytes(StandardCharsets.UTF_8)));
        log.reinitializeTo(50, new LogEntry(4, null));
        open(false);
        assertThat(log.firstAppended()).isEqualTo(50);
        assertThat(log.lastAppended()).isEqualTo(50);
        assertThat(log.commitIndex()).isEqualTo(50);
        assertThat(log.get(50).term()).isEqualTo(4);
        assertThat(log.get(50).command()).isNull();
        log.append(51, new LogEntries().add(new LogEntry(4, value(51))));
        open(false);
        assertThat(text(log.get(51))).isEqualTo("value-51");
    }

    @Test
    void aLogWithoutItsSnapshotIsRefused() throws Exception {
        open(false);
        appendValues(10);
        log.setSnapshot(ByteBuffer.wrap("s".getBytes(StandardCharsets.UTF_8)));
        log.truncate(10);
        log.close();
        Files.delete(dir().resolve(SnapshotFile.NAME));

        assertThatThrownBy(() -> open(false))
                .isInstanceOf(CorruptStorageException.class)
                .hasMessageContaining("starts at entry 10");
    }

    @Test
    void aSnapshotBeforeAnyCommitIsNotStored() throws Exception {
        open(false);
        log.append(1, new LogEntries().add(new LogEntry(1, value(1))));
        log.setSnapshot(ByteBuffer.wrap("empty".getBytes(StandardCharsets.UTF_8)));
        log.truncate(0);
        open(false);
        assertThat(log.getSnapshot()).isNull();
        assertThat(log.lastAppended()).isEqualTo(1);
    }

    @Test
    void aLogOfTheUncheckedFormatIsRefusedNamingTheDataDir() throws Exception {
        Files.createDirectories(dir());
        Files.write(dir().resolve(ChecksummedLog.LEGACY_ENTRIES), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> open(false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--data-dir")
                .hasMessageContaining("without checksums");
    }

    @Test
    void aReadInterruptedByAThreadInterruptDoesNotBreakTheLogForLaterCalls() throws Exception {
        // FileChannel is interruptible: an interrupt mid-read closes it for good (seen at SIGTERM)
        open(false);
        appendValues(3);
        Thread.currentThread().interrupt();
        try {
            assertThat(log.get(2)).isNull(); // this read fails
        } finally {
            Thread.interrupted();
        }
        assertThat(text(log.get(2))).isEqualTo("value-02");
        log.append(4, new LogEntries().add(new LogEntry(2, value(4))));
        assertThat(log.lastAppended()).isEqualTo(4);
        assertThat(text(log.get(4))).isEqualTo("value-04");
    }
}
