package dev.baton.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.node.backup.BackupFile;
import dev.baton.node.raft.ClusterId;
import dev.baton.node.statemachine.Command;
import dev.baton.node.statemachine.KvStateMachine;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code baton snapshot restore} and its refusals, without a cluster ({@code save} is in BackupRestoreIT). */
class SnapshotCommandTest {

    private static final String MEMBERS = "n1=127.0.0.1:7000:8000,n2=127.0.0.1:7001:8001,n3=127.0.0.1:7002:8002";

    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();

    private Path backup() throws Exception {
        KvStateMachine sm = new KvStateMachine();
        sm.apply(new Command.Put(Command.Session.NONE, "k", "v".getBytes(StandardCharsets.UTF_8), Command.NO_REVISION_CHECK));
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        sm.writeSnapshot(new DataOutputStream(content));
        Path file = dir.resolve("b.snap");
        Files.write(file, BackupFile.encode(5, 2, "default", 0, content.toByteArray()));
        return file;
    }

    @Test
    void restorePrintsTheIndexTermAndNewClusterId() throws Exception {
        Path data = dir.resolve("n2");
        assertThat(cli.run("snapshot", "restore", backup().toString(), "--data-dir", data.toString(), "--id", "n2",
                "--members", MEMBERS)).as(cli.err()).isZero();
        ClusterId id = ClusterId.read(data);
        assertThat(cli.out()).contains("index 5, term 2").contains("new cluster id " + id).contains("(was default)");
    }

    @Test
    void aTruncatedFileIsRefusedNamingItWithExit1() throws Exception {
        Path file = backup();
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length - 3));
        Path data = dir.resolve("n1");
        assertThat(cli.run("snapshot", "restore", file.toString(), "--data-dir", data.toString(), "--id", "n1",
                "--members", MEMBERS)).isEqualTo(1);
        assertThat(cli.err()).contains(file.toString()).contains("nothing written");
        assertThat(data).doesNotExist();
    }

    @Test
    void aNonEmptyDataDirIsAUsageError() throws Exception {
        Path data = dir.resolve("used");
        Files.createDirectories(data.resolve("something"));
        assertThat(cli.run("snapshot", "restore", backup().toString(), "--data-dir", data.toString(), "--id", "n1",
                "--members", MEMBERS)).isEqualTo(2);
        assertThat(cli.err()).contains("--data-dir").contains("not an empty directory");
    }

    @Test
    void snapshotWithoutASubcommandIsAUsageError() {
        assertThat(cli.run("snapshot")).isEqualTo(2);
        assertThat(cli.err()).contains("missing subcommand");
    }
}
