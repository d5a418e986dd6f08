package dev.baton.node.raft;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jgroups.protocols.raft.LogEntry;
import org.jgroups.protocols.raft.PersistentState;
import org.jgroups.util.ByteArrayDataOutputStream;

/**
 * Makes a node's Raft log start with a given state: a snapshot at {@code index} of {@code term}
 * whose jgroups-raft internal state (the Raft member list) is {@code members}, the entry at {@code
 * index} its placeholder, commit index {@code index}. It goes through {@link ChecksummedLog}'s own
 * path for a snapshot a follower installs ({@code setSnapshot} + {@code reinitializeTo}), so the
 * files are exactly what a node writes itself: the snapshot is stored (forced, renamed) before the
 * entries are cut, and the term never goes down.
 *
 * <p>On start, RAFT reads the member list from this snapshot ({@code RAFT.initStateMachineFromLog}
 * reads {@code internal_state} first, then the state machine's content), which replaces the one
 * of its {@code members} attribute.
 */
public final class LogSeed {

    private LogSeed() {}

    /** Where RAFT keeps the log of {@code nodeId}: {@code log_dir} is the data dir ({@link StackConfig}), the name {@code <raft_id>.log}. */
    public static Path logDir(Path dataDir, String nodeId) {
        return dataDir.toAbsolutePath().resolve(nodeId + ".log");
    }

    /** Seeds a new log in {@code dataDir} for {@code nodeId} (fsync on). */
    public static void seed(Path dataDir, String nodeId, long index, long term, List<String> members, byte[] content)
            throws Exception {
        ChecksummedLog log = new ChecksummedLog();
        log.init(logDir(dataDir, nodeId).toString(), Map.of());
        try {
            install(log, index, term, members, content);
        } finally {
            log.close();
        }
    }

    /** Replaces whatever {@code log} holds by the state above. */
    static void install(ChecksummedLog log, long index, long term, List<String> members, byte[] content) throws Exception {
        if (index < 1) {
            throw new IllegalArgumentException("a seeded log starts at index 1 or later, not " + index);
        }
        PersistentState internal = new PersistentState();
        internal.setMembers(members);
        ByteArrayDataOutputStream out = new ByteArrayDataOutputStream(internal.serializedSize() + content.length, true);
        internal.writeTo(out);
        out.write(content);
        log.setSnapshot(ByteBuffer.wrap(out.buffer(), 0, out.position()));
        log.reinitializeTo(index, new LogEntry(term, null));
        if (log.health().fault() != null) {
            throw new IOException("writing the log in " + log + " failed: " + log.health().fault().reason());
        }
    }
}
