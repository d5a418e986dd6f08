package dev.baton.node.raft;

import dev.baton.node.backup.SnapshotRestore;
import dev.baton.node.config.ConfigException;
import dev.baton.node.config.MemberSpec;
import dev.baton.node.config.NodeConfig;
import dev.baton.node.statemachine.KvStateMachine;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jgroups.protocols.raft.LogEntry;
import org.jgroups.protocols.raft.PersistentState;
import org.jgroups.util.ByteArrayDataInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code baton node --force-new-cluster}: disaster recovery on a survivor when the majority is
 * gone for good. Before the node joins, its data becomes a one-member cluster of its own:
 *
 * <ol>
 *   <li>Every entry of the local log counts as committed, as etcd's {@code --force-new-cluster}
 *       does: an acknowledged write is in the log of a majority, so a survivor may hold it
 *       appended without knowing it committed; dropping it would lose an acknowledged write.
 *   <li>The state (snapshot + every entry) is applied to a fresh state machine and stored as the
 *       log's snapshot at the last index, with the Raft member list set to this node alone
 *       ({@link LogSeed}); the member table is reset there too ({@link SnapshotRestore#resetMemberTable}).
 *   <li>A new random {@link ClusterId} is written first, so a crash half-way leaves data that
 *       cannot rejoin the old cluster (run the flag again to finish).
 * </ol>
 *
 * Old members cannot rejoin: their cluster id, and so their JGroups cluster name, differs. They
 * must be added again with empty data dirs.
 */
public final class ForceNewCluster {

    private static final Logger log = LoggerFactory.getLogger(ForceNewCluster.class);
    public static final String OPTION = "--force-new-cluster";

    /** What was done, for the caller to report. */
    public record Outcome(ClusterId clusterId, long index, long term, ClusterId previous) {}

    private ForceNewCluster() {}

    /**
     * Rewrites {@code config}'s data dir as described above.
     *
     * @throws ConfigException naming {@link #OPTION} if the data dir holds no log, or {@code
     *     --members} lists other nodes too
     */
    public static Outcome rewrite(NodeConfig config) throws Exception {
        if (config.members().size() != 1) {
            throw new ConfigException("--members", "with " + OPTION + " list just this node (" + config.nodeId()
                    + "=HOST:RAFT_PORT:HTTP_PORT), not " + config.memberIds() + ": it starts as a one-member cluster");
        }
        Path logDir = LogSeed.logDir(config.dataDir(), config.nodeId());
        if (!Files.isDirectory(logDir) || !Files.exists(logDir.resolve(ChecksummedLog.ENTRIES))) {
            throw new ConfigException(OPTION, "needs the data dir of a former member, but " + config.dataDir()
                    + " holds no Raft log of '" + config.nodeId() + "' (" + logDir + "); start a new cluster without it");
        }
        ClusterId previous = ClusterId.read(config.dataDir());
        ChecksummedLog store = new ChecksummedLog();
        store.init(logDir.toString(), Map.of(ChecksummedLog.REPAIR, Boolean.toString(config.repairLog())));
        try {
            long last = store.lastAppended();
            LogEntry lastEntry = last < 1 ? null : store.get(last);
            if (lastEntry == null) {
                throw new ConfigException(OPTION, logDir + " holds no log entry: there is nothing to recover");
            }
            KvStateMachine sm = replay(store, last);
            List<MemberSpec> self = List.of(config.self());
            SnapshotRestore.resetMemberTable(sm, self);
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            sm.writeSnapshot(new DataOutputStream(content));
            ClusterId id = ClusterId.random();
            id.write(config.dataDir());
            LogSeed.install(store, last, lastEntry.term(), List.of(config.nodeId()), content.toByteArray());
            log.warn("{}: {}: the Raft members are now only '{}'; every entry of the local log (up to index {}, term {}) "
                    + "counts as committed; new cluster id {} (was {}), so the old members cannot rejoin: add them back with "
                    + "empty data dirs", config.nodeId(), OPTION, config.nodeId(), last, lastEntry.term(), id, previous);
            return new Outcome(id, last, lastEntry.term(), previous);
        } finally {
            store.close();
        }
    }

    /** The state after the snapshot and every entry up to {@code last}, committed or not. */
    private static KvStateMachine replay(ChecksummedLog store, long last) throws Exception {
        KvStateMachine sm = new KvStateMachine();
        ReplicatedKv kv = new ReplicatedKv(sm);
        ByteBuffer snapshot = store.getSnapshot();
        long from = Math.max(1, store.firstAppended());
        if (snapshot != null) {
            ByteArrayDataInputStream in = new ByteArrayDataInputStream(snapshot);
            new PersistentState().readFrom(in); // the old member list: replaced
            kv.readContentFrom(in);
            from = store.firstAppended() + 1; // the first entry is the snapshot's placeholder
        }
        for (long i = from; i <= last; i++) {
            LogEntry e = store.get(i);
            if (e == null) {
                throw new IllegalStateException(store + ": entry " + i + " is unreadable; not recovering past a hole");
            }
            if (e.command() != null && !e.internal()) { // internal: jgroups-raft membership changes, replaced here
                kv.apply(e.command(), e.offset(), e.length(), false);
            }
        }
        return sm;
    }
}
