package dev.baton.node.cli;

import dev.baton.client.BatonClient;
import dev.baton.node.backup.AtomicFile;
import dev.baton.node.backup.BackupFile;
import dev.baton.node.backup.BackupFormatException;
import dev.baton.node.backup.SnapshotRestore;
import dev.baton.node.config.ConfigException;
import dev.baton.node.config.MemberSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code baton snapshot save FILE} and {@code baton snapshot restore FILE ...}: backup and restore. */
@Command(
        name = "snapshot",
        mixinStandardHelpOptions = true,
        description = "Back the cluster's state up to a file, or restore a file into the data dir of a new cluster.",
        subcommands = {SnapshotCommand.Save.class, SnapshotCommand.Restore.class})
final class SnapshotCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand (save, restore)");
    }

    @Command(
            name = "save",
            mixinStandardHelpOptions = true,
            description = {"Takes a consistent backup through the ACTIVE (after a barrier through the Raft log: every",
                "write acknowledged before the command started is in it) and writes it to FILE atomically",
                "(a temporary file, forced, renamed): FILE is either the whole backup or left as it was.",
                "Needs the admin role when the nodes use --token-file. For a large state raise --request-timeout",
                "(the whole backup is one HTTP answer)."},
            footer = {"", "Exit codes: 0 ok, 1 failure (FILE untouched), 2 usage error, 3 no active node, 8 token refused."})
    static final class Save extends OperatorCommand {

        @Parameters(index = "0", paramLabel = "FILE", description = "Where to write the backup.")
        Path file;

        @Override
        int run(BatonClient client) throws Exception {
            byte[] bytes = client.snapshot();
            BackupFile.Backup b;
            try {
                b = BackupFile.decode(bytes); // what arrived is what will be restored: check it before it is kept
            } catch (BackupFormatException e) {
                err().println("baton snapshot save: the node sent a damaged backup (" + e.getMessage() + "); " + file
                        + " not written");
                return ExitCodes.FAILURE;
            }
            AtomicFile.write(file, bytes);
            out().println(json ? Output.json(new Saved(file.toString(), b.index(), b.term(), bytes.length,
                    String.format("%08x", b.checksum()), b.clusterId(), b.takenAtMs()))
                    : "saved " + file + ": index " + b.index() + ", term " + b.term() + ", " + bytes.length
                            + " bytes, crc32c " + String.format("%08x", b.checksum()) + ", cluster id " + b.clusterId());
            return ExitCodes.OK;
        }
    }

    /** {@code --json} of {@code save}. */
    record Saved(String file, long index, long term, long bytes, String crc32c, String clusterId, long takenAtEpochMs) {}

    @Command(
            name = "restore",
            mixinStandardHelpOptions = true,
            description = {"Writes the data dir of one member of a NEW cluster from a backup (run it once per member,",
                "with the same FILE and --members): the backup's state at its Raft index and term, the Raft",
                "members set to --members, and a new cluster id, the same for every member, so nodes of the",
                "old cluster cannot join. Then start each member with 'baton node --id ID --members ... --data-dir DIR'.",
                "Checks the file's checksum first; writes nothing if it fails or DIR is not empty."},
            footer = {"", "Exit codes: 0 ok, 1 the file is damaged or not a backup, or writing failed, 2 usage error."})
    static final class Restore implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "A file 'baton snapshot save' wrote.")
        Path file;

        @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The new member's data dir: missing or empty.")
        Path dataDir;

        @Option(names = "--id", required = true, description = "The member this data dir is for (one of --members).")
        String id;

        @Option(names = "--members", required = true, split = ",", paramLabel = "ID=HOST:RAFT_PORT:HTTP_PORT",
                description = "Every member of the new cluster, as 'baton node --members' takes them.")
        List<String> members;

        @Override
        public Integer call() throws Exception {
            try {
                List<MemberSpec> specs = new ArrayList<>();
                for (String m : members) {
                    if (!m.isBlank()) {
                        specs.add(MemberSpec.parse(m));
                    }
                }
                SnapshotRestore.Restored r = SnapshotRestore.restore(file, dataDir, id, specs);
                BackupFile.Backup b = r.backup();
                spec.commandLine().getOut().println("restored " + file + " into " + dataDir + " for " + id + ": index "
                        + b.index() + ", term " + b.term() + ", new cluster id " + r.clusterId() + " (was " + b.clusterId()
                        + ")");
                return ExitCodes.OK;
            } catch (ConfigException e) {
                spec.commandLine().getErr().println("baton snapshot restore: " + e.getMessage());
                return ExitCodes.USAGE;
            } catch (BackupFormatException e) {
                spec.commandLine().getErr().println("baton snapshot restore: " + e.getMessage() + "; nothing written");
                return ExitCodes.FAILURE;
            } finally {
                spec.commandLine().getOut().flush();
                spec.commandLine().getErr().flush();
            }
        }
    }
}
