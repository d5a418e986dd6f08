package dev.baton.node.backup;

import dev.baton.node.config.ConfigException;
import dev.baton.node.config.MemberSpec;
import dev.baton.node.config.NodeConfig;
import dev.baton.node.membership.MemberChanges;
import dev.baton.node.raft.ClusterId;
import dev.baton.node.raft.LogSeed;
import dev.baton.node.statemachine.ClusterMember;
import dev.baton.node.statemachine.Command;
import dev.baton.node.statemachine.KvStateMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code baton snapshot restore}: turns a backup into the data dir of one member of a new cluster.
 * Everything is checked before anything is written (the file's checksum and content, the members,
 * an empty data dir); a failure while writing removes what was written.
 *
 * <p>Every member restored from the same file with the same members gets the same new {@link
 * ClusterId} ({@link ClusterId#derived}): they form one cluster, which the old members cannot join.
 */
public final class SnapshotRestore {

    /** What was written. */
    public record Restored(ClusterId clusterId, Path logDir, BackupFile.Backup backup) {}

    private SnapshotRestore() {}

    /** Reads and verifies a backup file; the error names the file. */
    public static BackupFile.Backup read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new BackupFormatException(file + ": no such file");
        }
        try {
            return BackupFile.decode(Files.readAllBytes(file));
        } catch (BackupFormatException e) {
            throw new BackupFormatException(file + ": " + e.getMessage());
        }
    }

    /**
     * Writes {@code dataDir} for member {@code id} of {@code members} from the backup in {@code file}.
     *
     * @throws BackupFormatException if the file is no sound backup (nothing written)
     * @throws ConfigException naming the option for bad members or a non-empty data dir (nothing written)
     */
    public static Restored restore(Path file, Path dataDir, String id, List<MemberSpec> members) throws Exception {
        // the same checks as a node's start-up, so the restored dir starts with these options
        NodeConfig.builder().nodeId(id).members(members).dataDir(dataDir).build();
        if (Files.exists(dataDir) && (!Files.isDirectory(dataDir) || !isEmpty(dataDir))) {
            throw new ConfigException("--data-dir", dataDir + " is not an empty directory; restore only into a new one");
        }
        BackupFile.Backup backup = read(file);
        KvStateMachine sm = new KvStateMachine();
        try {
            sm.readSnapshot(new DataInputStream(new ByteArrayInputStream(backup.content())));
        } catch (IOException | RuntimeException e) {
            throw new BackupFormatException(file + ": the state in it is unreadable: " + e.getMessage());
        }
        resetMemberTable(sm, members);
        ByteArrayOutputStream content = new ByteArrayOutputStream(backup.content().length);
        sm.writeSnapshot(new DataOutputStream(content));
        List<String> ids = members.stream().map(MemberSpec::id).toList();
        ClusterId clusterId = ClusterId.derived(backup.checksum(), ids);
        boolean created = !Files.exists(dataDir);
        try {
            Files.createDirectories(dataDir);
            LogSeed.seed(dataDir, id, backup.index(), backup.term(), ids, content.toByteArray());
            clusterId.write(dataDir); // last: a dir without it is incomplete, and a retry refuses it as non-empty
        } catch (Exception e) {
            removeContents(dataDir, created);
            throw e;
        }
        return new Restored(clusterId, LogSeed.logDir(dataDir, id), backup);
    }

    /**
     * Resets the replicated member table to {@code members}, every one a voter: the one place a
     * restore and {@code --force-new-cluster} set it (the Raft member list is set by {@link
     * LogSeed}). Applied to the state before it is written as the new snapshot, so every member
     * restored from the same file with the same members holds the same table.
     */
    public static void resetMemberTable(KvStateMachine sm, List<MemberSpec> members) {
        List<ClusterMember> table = members.stream().map(m -> MemberChanges.of(m, ClusterMember.Status.VOTER)).toList();
        sm.apply(new Command.SetMembers(table, "reset to " + members.stream().map(MemberSpec::id).toList()));
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** Removes what a failed restore wrote: the dir's contents, and the dir if this restore made it. */
    private static void removeContents(Path dir, boolean dirToo) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (dirToo || !p.equals(dir)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException suppressed) {
            // best effort: the original failure is what the operator needs to see
        }
    }
}
