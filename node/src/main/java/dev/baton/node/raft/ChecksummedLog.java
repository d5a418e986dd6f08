package dev.baton.node.raft;

import dev.baton.node.CorruptStorageException;
import dev.baton.node.config.ConfigException;
import dev.baton.node.metrics.StorageObserver;
import dev.baton.node.health.StorageHealth;
import dev.baton.node.health.StorageHealth.Part;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.ObjLongConsumer;
import org.jgroups.Address;
import org.jgroups.protocols.raft.Log;
import org.jgroups.protocols.raft.LogEntries;
import org.jgroups.protocols.raft.LogEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jgroups-raft's {@link Log} ({@code RAFT.log_class}) with a CRC32C on every entry and on the
 * snapshot, in {@code <log_dir>/<raft_id>.log/}: {@code entries.crc} ({@link EntryFile}),
 * {@code snapshot.crc} ({@link SnapshotFile}) and {@code metadata.crc} ({@link MetadataFile}: term,
 * vote, commit index; {@link MetadataStorage}, as {@code FileBasedLog} uses it).
 *
 * <p>Checked at start-up ({@link #init}: every entry and the snapshot are read and verified; damage
 * is refused with a {@link CorruptStorageException} naming file, offset and index, or, with
 * {@code repair=true} in {@code RAFT.log_args}, the damaged entry and every later one are discarded;
 * a record cut off by the end of the file is a write torn by a crash and always discarded, unless a
 * sound record of the next index follows it: then its length field is damaged) and on
 * every read ({@link #get}: a damaged entry is logged at ERROR and reported missing, so RAFT never
 * applies or resends it: {@code RAFT.applyCommit} throws on a missing entry and stops advancing the
 * commit index, {@code RAFT.resend} skips it, a follower answers {@code FAIL_ENTRY_NOT_FOUND}).
 *
 * <p>Snapshots: in 1.1.4 {@code RAFT.takeSnapshot} calls {@code setSnapshot} then {@code
 * truncate(commitIndex)}, and a follower installing one calls {@code setSnapshot} then {@code
 * reinitializeTo(last_included_index, dummy)}. {@code setSnapshot} only keeps the bytes; the
 * following call stores them with the index and term they cover, forced and renamed, before the log
 * is cut. A crash between the two steps leaves a snapshot newer than the log's start, and {@link
 * #init} finishes the cut, so entries the snapshot covers are never applied twice.
 *
 * <p>Failed writes: each one is reported to {@link #health()} (the node is UNHEALTHY while one
 * is open) and leaves the log as it was. A failed append leaves {@link #lastAppended} at the last
 * stored entry, as the interface asks; a follower then answers with the index it really stored
 * ({@link BatonRaft#append}), so the leader resends the rest. A leader whose own append failed
 * appends nothing more in that term ({@link #append}): in 1.1.4 the leader multicasts a batch
 * before storing it and numbers the next batch from its own last index, so a retry would put
 * different entries at the indexes its followers already hold in the same term. The node steps
 * down instead; entries its followers stored are committed by the next leader.
 *
 * <p>Threads: jgroups-raft's runner thread after {@code init} (RAFT's only log user); not
 * thread-safe, but for {@link #retryIdleWrites}, which the storage probe calls on its own thread
 * and which only rewrites the metadata under its lock.
 */
public class ChecksummedLog implements Log {

    private static final Logger log = LoggerFactory.getLogger(ChecksummedLog.class);

    static final String ENTRIES = "entries.crc";
    static final String LEGACY_ENTRIES = "entries.raft";
    /** {@code RAFT.log_args} key: discard damaged entries at start-up instead of refusing to start. */
    public static final String REPAIR = "repair";

    private Path dir;
    private boolean fsync = true;
    private MetadataFile metadata;
    private EntryFile entries;
    private SnapshotFile snapshots;
    private ByteBuffer pendingSnapshot;
    /** Guards {@code snapshot.crc} and {@link #storedSnapshotIndex}: {@link BackgroundSnapshot} writes from its own thread. */
    private final Object snapshotLock = new Object();
    private long storedSnapshotIndex; // the index snapshot.crc covers, 0 if none
    private final Set<Long> reported = new HashSet<>();
    private final StorageHealth health = new StorageHealth();
    private volatile StorageObserver observer = StorageObserver.NONE;
    private final Object metadataLock = new Object();
    private long leaderAppendFailedTerm; // a term in which this node, as leader, failed to store its own entries
    private long missingCommittedUpTo; // > 0: the start found committed entries up to this index gone (repair)

    @Override
    public void init(String logName, Map<String, String> args) throws Exception {
        dir = Path.of(logName);
        Files.createDirectories(dir);
        boolean repair = args != null && Boolean.parseBoolean(args.get(REPAIR));
        if (Files.exists(dir.resolve(LEGACY_ENTRIES)) && !Files.exists(dir.resolve(ENTRIES))) {
            throw new ConfigException("--data-dir", dir + " holds a log written without checksums (jgroups-raft "
                    + LEGACY_ENTRIES + "); move it away: the node then starts empty and the leader sends it the state");
        }
        metadata = new MetadataFile(dir, fsync);
        MetadataFile.State stored = metadata.open();
        snapshots = new SnapshotFile(dir);
        entries = new EntryFile(dir.resolve(ENTRIES), fsync);
        SnapshotFile.Snapshot snap = readSnapshot(repair);
        EntryFile.Damage damage = entries.open();
        if (damage != null) {
            handle(damage, repair);
        }
        if (snap == null && entries.first() > 1) {
            String what = dir + ": the log starts at entry " + entries.first() + " but no " + SnapshotFile.NAME
                    + " covers the entries before it";
            if (!repair) {
                throw new CorruptStorageException(what + repairHint("the whole log"));
            }
            log.error("{}; --repair-log: discarding the whole log, the leader sends the state again", what);
            entries.truncateFrom(entries.first());
        }
        if (snap != null) {
            alignWith(snap);
            storedSnapshotIndex = snap.index();
        }
        long commitIndex = stored.commit();
        long floor = snap == null ? 0 : snap.index();
        long last = entries.last();
        long commit = Math.max(Math.min(commitIndex, last), floor);
        if (commit != commitIndex) {
            log.warn("{}: commit index {} lowered to {}: the log ends at {}; the leader sends the missing entries again",
                    entries.path(), commitIndex, commit, last);
            metadata.write(stored.withCommit(commit), true);
            // committed entries this node held (and acknowledged) are gone: until it holds them
            // again it must not vote, or it could help elect a leader that lacks them (Raft's
            // election restriction counts on every voter keeping what it acknowledged)
            missingCommittedUpTo = commitIndex;
            health.unsound(Part.LOG_DATA, "entries " + (commit + 1) + ".." + commitIndex + " were committed and are"
                    + " gone from " + entries.path() + " (discarded by --repair-log): not voting until the leader has"
                    + " sent them again");
        }
        log.info("{}: log verified: entries {}..{}, commit {}, snapshot {}", dir, entries.first(), last, commit,
                snap == null ? "none" : "at " + snap.index());
    }

    /** The verified snapshot, or null; a damaged one is refused, or discarded with the whole log under repair. */
    private SnapshotFile.Snapshot readSnapshot(boolean repair) throws IOException {
        try {
            return snapshots.read();
        } catch (CorruptStorageException e) {
            if (!repair) {
                throw new CorruptStorageException(e.getMessage() + repairHint("the snapshot and the whole log"));
            }
            log.error("{}; --repair-log: discarding it and the whole log, the leader sends the state again", e.getMessage());
            snapshots.delete();
            Files.deleteIfExists(dir.resolve(ENTRIES));
            return null;
        }
    }

    private void handle(EntryFile.Damage d, boolean repair) throws IOException {
        String what = entries.path() + ": log entry " + d.index() + " at byte offset " + d.offset() + " is "
                + (d.torn() ? "incomplete" : "corrupt") + ": " + d.reason();
        if (d.torn()) {
            log.warn("{}: a write torn by a crash; discarding it and anything after it (unacknowledged unless fsync is off)",
                    what);
        } else if (repair) {
            log.error("{}; --repair-log: discarding entries from {} on, the leader sends them again", what, d.index());
        } else {
            throw new CorruptStorageException(what + repairHint("this entry and every later one"));
        }
        entries.cutToSound();
    }

    private static String repairHint(String what) {
        return ". The node does not start on damaged data; --repair-log discards " + what
                + " and the leader sends them again (only safe while a majority of the other nodes is healthy)";
    }

    /** Makes the log start at the snapshot's index, finishing a cut a crash interrupted. */
    private void alignWith(SnapshotFile.Snapshot snap) throws IOException {
        long s = snap.index();
        if (entries.last() < s || entries.first() > s) {
            entries.reset(s, new LogEntry(snap.term(), null));
        } else if (entries.first() < s) {
            entries.dropBefore(s);
        }
    }

    @Override
    public Log useFsync(boolean f) {
        fsync = f;
        if (metadata != null) {
            metadata.fsync(f);
        }
        if (entries != null) {
            entries.fsync(f);
        }
        return this;
    }

    @Override
    public boolean useFsync() {
        return fsync;
    }

    @Override
    public void delete() throws Exception {
        close();
        if (snapshots != null) {
            snapshots.delete();
        }
        Files.deleteIfExists(dir.resolve(ENTRIES));
        metadata.delete();
        Files.deleteIfExists(dir);
    }

    @Override
    public long currentTerm() {
        return metadata.state().term();
    }

    @Override
    public Log currentTerm(long term) {
        writeMetadata("storing term " + term, () -> metadata.write(metadata.state().withTerm(term), true));
        return this;
    }

    private interface MetadataWrite {
        void run() throws IOException;
    }

    /** One write of {@code metadata.crc}; a failure is reported and thrown (RAFT must not act on an unstored term or vote). */
    private void writeMetadata(String what, MetadataWrite write) {
        synchronized (metadataLock) {
            try {
                write.run();
            } catch (IOException | RuntimeException e) {
                health.failed(Part.METADATA, what + " in " + metadata.path(), e);
                throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
            }
        }
        health.succeeded(Part.METADATA);
    }

    /**
     * The storage probe (its own thread, about once a second while a fault is open): retries what
     * no Raft traffic may retry soon. The metadata is written again with the values last stored
     * (same bytes, under the lock the runner thread writes with); a failed snapshot is cleared
     * once a small file can be written and forced in the log directory (the next snapshot is taken
     * at its usual time). Failed log appends are retried by the leader's resends.
     */
    public void retryIdleWrites() {
        if (health.failing(Part.METADATA)) {
            try {
                writeMetadata("rewriting term, vote and commit index",
                        () -> metadata.write(metadata.state(), true));
            } catch (RuntimeException e) {
                // reported by writeMetadata
            }
        }
        if (health.failing(Part.SNAPSHOT)) {
            try {
                Durable.probeWritable(dir);
                health.succeeded(Part.SNAPSHOT);
            } catch (IOException e) {
                health.failed(Part.SNAPSHOT, "writing a probe file in " + dir, e);
            }
        }
    }

    /** Which writes of this log failed last, and why (see {@link StorageHealth}). */
    /** Who is told how long appends, forces and snapshot writes take (metrics); any thread may set it. */
    public void observe(StorageObserver o) {
        this.observer = o == null ? StorageObserver.NONE : o;
    }

    public StorageHealth health() {
        return health;
    }

    @Override
    public Address votedFor() {
        return metadata.state().vote();
    }

    @Override
    public Log votedFor(Address member) {
        writeMetadata("storing the vote", () -> metadata.write(metadata.state().withVote(member), true));
        return this;
    }

    @Override
    public long commitIndex() {
        return metadata.state().commit();
    }

    @Override
    public Log commitIndex(long index) {
        writeMetadata("storing commit index " + index, () -> metadata.write(metadata.state().withCommit(index), false));
        return this;
    }

    @Override
    public long firstAppended() {
        return entries.first();
    }

    @Override
    public long lastAppended() {
        return entries.last();
    }

    @Override
    public void setSnapshot(ByteBuffer sn) {
        pendingSnapshot = sn; // stored by the truncate/reinitializeTo that follows (see the class comment)
    }

    @Override
    public ByteBuffer getSnapshot() {
        try {
            SnapshotFile.Snapshot s = snapshots.read();
            return s == null ? null : ByteBuffer.wrap(s.data());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CorruptStorageException e) {
            log.error("{}: not used", e.getMessage());
            throw e;
        }
    }

    /**
     * The leader's own append (RAFT calls the log directly on the leader). After a failure nothing
     * more is stored in that term: see the class comment.
     */
    @Override
    public long append(long index, LogEntries batch) {
        long currentTerm = currentTerm();
        if (leaderAppendFailedTerm == currentTerm && currentTerm > 0) {
            log.debug("{}: not storing {} entries at {}: this node failed to store its own entries in term {}",
                    entries.path(), batch.size(), index, currentTerm);
            return entries.last();
        }
        if (!store(index, batch)) {
            leaderAppendFailedTerm = currentTerm;
        }
        return entries.last();
    }

    /** A follower's append of entries the leader sent ({@link BatonRaft#append}); may be retried. */
    long appendReplicated(long index, LogEntries batch) {
        store(index, batch);
        return entries.last();
    }

    private boolean store(long index, LogEntries batch) {
        long start = System.nanoTime();
        try {
            entries.append(index, batch);
        } catch (IOException | RuntimeException e) {
            health.failed(Part.LOG, "appending entries " + index + ".." + (index + batch.size() - 1) + " to "
                    + entries.path() + " (log ends at " + entries.last() + ")", e);
            return false;
        }
        observer.appended(batch.size(), System.nanoTime() - start, entries.lastForceNanos());
        health.succeeded(Part.LOG);
        if (missingCommittedUpTo > 0 && entries.last() >= missingCommittedUpTo) {
            holdsCommittedAgain();
        }
        return true;
    }

    /** The committed entries a repair discarded are stored again (or covered by an installed snapshot). */
    private void holdsCommittedAgain() {
        log.info("{}: holds the committed entries up to {} again", entries.path(), missingCommittedUpTo);
        missingCommittedUpTo = 0;
        if (reported.isEmpty()) {
            health.succeeded(Part.LOG_DATA);
        }
    }

    @Override
    public LogEntry get(long index) {
        try {
            return entries.read(index);
        } catch (CorruptRecordException e) {
            if (reported.add(e.index())) {
                // never applied nor sent: RAFT's apply stops before it, a resend skips it
                health.failed(Part.LOG_DATA, "reading log entry " + e.index()
                        + " (not applied, not sent; restart with --repair-log to fetch it from the leader)", e);
            }
            return null;
        } catch (IOException e) {
            log.error("{}: reading entry {} failed", entries.path(), index, e);
            return null;
        }
    }

    @Override
    public void truncate(long indexExclusive) {
        long index = Math.min(indexExclusive, commitIndex());
        try {
            storePendingSnapshot(index, termAt(index));
        } catch (IOException e) {
            health.failed(Part.SNAPSHOT, "storing the snapshot at " + index + " in " + dir, e);
            return; // the log must keep every entry no stored snapshot covers
        }
        dropCoveredBy(index);
    }

    /**
     * Stores a snapshot written off the runner thread ({@link BackgroundSnapshot}), unless the one
     * stored already covers as much (a leader's snapshot installed meanwhile). True if stored; a
     * failure is reported. The entries it covers stay until {@link #dropCoveredBy}, on the runner
     * thread: a crash in between leaves a snapshot newer than the log's start, which {@link #init}
     * handles.
     */
    boolean storeSnapshot(long index, long term, ByteBuffer data) {
        synchronized (snapshotLock) {
            if (index <= storedSnapshotIndex) {
                return false;
            }
            try {
                long start = System.nanoTime();
                snapshots.write(index, term, data);
                observer.snapshotStored(System.nanoTime() - start);
            } catch (IOException e) {
                health.failed(Part.SNAPSHOT, "storing the snapshot at " + index + " in " + dir, e);
                return false;
            }
            storedSnapshotIndex = index;
        }
        health.succeeded(Part.SNAPSHOT);
        return true;
    }

    /** Drops the entries before {@code index}, which a stored snapshot covers (it keeps entry {@code index} for its term). */
    void dropCoveredBy(long index) {
        try {
            if (index > entries.first() && index <= entries.last() && index <= storedSnapshotIndex()) {
                entries.dropBefore(index);
                forgetDamaged(i -> i < index);
            }
        } catch (IOException e) {
            health.failed(Part.LOG, "dropping the entries before " + index + " from " + entries.path(), e);
        }
    }

    private long storedSnapshotIndex() {
        synchronized (snapshotLock) {
            return storedSnapshotIndex;
        }
    }

    @Override
    public void reinitializeTo(long index, LogEntry entry) throws Exception {
        try {
            storePendingSnapshot(index, entry.term());
        } catch (IOException e) {
            health.failed(Part.SNAPSHOT, "storing the snapshot received for " + index + " in " + dir, e);
            throw e;
        }
        forgetDamaged(i -> true);
        try {
            entries.reset(index, entry);
        } catch (IOException e) {
            health.failed(Part.LOG, "resetting " + entries.path() + " to the received snapshot at " + index, e);
            throw e;
        }
        health.succeeded(Part.LOG);
        if (missingCommittedUpTo > 0 && index >= missingCommittedUpTo) {
            holdsCommittedAgain();
        }
        commitIndex(index);
        if (entry.term() > currentTerm()) {
            currentTerm(entry.term());
        }
    }

    private void storePendingSnapshot(long index, long term) throws IOException {
        ByteBuffer sn = pendingSnapshot;
        if (index < 1) {
            pendingSnapshot = null; // nothing committed yet: the snapshot covers no entry, the empty log is its equal
            return;
        }
        if (sn != null) {
            synchronized (snapshotLock) {
                long start = System.nanoTime();
                snapshots.write(index, term, sn);
                observer.snapshotStored(System.nanoTime() - start);
                storedSnapshotIndex = index;
            }
            pendingSnapshot = null;
            health.succeeded(Part.SNAPSHOT);
        }
    }

    private long termAt(long index) {
        LogEntry e = get(index);
        return e == null ? 0 : e.term();
    }

    /** Forgets damaged entries that are no longer in the log; the node is sound again once none is left. */
    private void forgetDamaged(java.util.function.LongPredicate removed) {
        if (!reported.isEmpty() && reported.removeIf(removed::test) && reported.isEmpty() && missingCommittedUpTo == 0) {
            health.succeeded(Part.LOG_DATA);
        }
    }

    @Override
    public void deleteAllEntriesStartingFrom(long startIndex) {
        forgetDamaged(i -> i >= startIndex);
        try {
            entries.truncateFrom(startIndex);
        } catch (IOException e) {
            health.failed(Part.LOG, "removing the entries from " + startIndex + " on from " + entries.path(), e);
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void forEach(ObjLongConsumer<LogEntry> function, long startIndex, long endIndex) {
        long from = Math.max(Math.max(startIndex, entries.first()), 1);
        long to = Math.min(endIndex, entries.last());
        for (long i = from; i <= to; i++) {
            LogEntry e = get(i);
            if (e == null) {
                return;
            }
            function.accept(e, i);
        }
    }

    @Override
    public void forEach(ObjLongConsumer<LogEntry> function) {
        forEach(function, firstAppended(), lastAppended());
    }

    @Override
    public long sizeInBytes() {
        return entries.size();
    }

    @Override
    public void close() {
        try {
            if (entries != null) {
                entries.close();
            }
            if (metadata != null) {
                metadata.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "ChecksummedLog " + dir + ": first=" + firstAppended() + ", commit=" + commitIndex() + ", last="
                + lastAppended() + ", term=" + currentTerm();
    }
}
