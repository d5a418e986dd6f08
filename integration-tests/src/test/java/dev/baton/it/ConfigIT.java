package dev.baton.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Bad configuration stops start-up: the node exits non-zero, promptly, with a message that names
 * the setting. Each case runs the real jar once; none needs a running cluster.
 */
class ConfigIT {

    /** Generous: a node that keeps running instead of exiting is what this bound catches. */
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(30);
    private static LoopbackBlocks.Block block;
    private static List<String> hosts;
    private static Path dir;

    @BeforeAll
    static void addresses() throws IOException {
        block = LoopbackBlocks.take(3);
        hosts = block.hosts();
        dir = TestCluster.itDir().resolve("ConfigIT");
        Files.createDirectories(dir);
    }

    @AfterAll
    static void releaseAddresses() {
        if (block != null) {
            block.close();
        }
    }

    private static String members(String... ids) {
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            specs.add(ids[i] + "=" + hosts.get(i) + ":7800:8080");
        }
        return String.join(",", specs);
    }

    @Test
    void unknownId(TestInfo test) throws Exception {
        BatonJar.RunResult r = run(test, "node", "--id", "n9", "--members", members("n1", "n2", "n3"),
                "--data-dir", dataDir(test));
        assertFailedNaming(r, "--id", "n9");
    }

    @Test
    void duplicateMemberId(TestInfo test) throws Exception {
        BatonJar.RunResult r = run(test, "node", "--id", "n1", "--members", members("n1", "n2", "n1"),
                "--data-dir", dataDir(test));
        assertFailedNaming(r, "--members", "n1");
    }

    @Test
    void memberSpecWithoutHttpPort(TestInfo test) throws Exception {
        String spec = "n1=" + hosts.get(0) + ":7800";
        BatonJar.RunResult r = run(test, "node", "--id", "n1", "--members", spec, "--data-dir", dataDir(test));
        assertFailedNaming(r, "--members", spec);
    }

    @Test
    void memberSpecWithoutId(TestInfo test) throws Exception {
        String spec = hosts.get(0) + ":7800:8080";
        BatonJar.RunResult r = run(test, "node", "--id", "n1", "--members", spec, "--data-dir", dataDir(test));
        assertFailedNaming(r, "--members", spec);
    }

    @Test
    void memberSpecWithNonNumericPort(TestInfo test) throws Exception {
        String spec = "n1=" + hosts.get(0) + ":raft:8080";
        BatonJar.RunResult r = run(test, "node", "--id", "n1", "--members", spec, "--data-dir", dataDir(test));
        assertFailedNaming(r, "--members", "raft");
    }

    @Test
    void httpPortInUse(TestInfo test) throws Exception {
        try (ServerSocket occupied = new ServerSocket()) {
            occupied.bind(new InetSocketAddress(InetAddress.getByName(hosts.get(0)), 8080));
            BatonJar.RunResult r = run(test, "node", "--id", "n1", "--members", members("n1", "n2", "n3"),
                    "--data-dir", dataDir(test));
            assertFailedNaming(r, hosts.get(0), "8080");
            assertThat(r.output().toLowerCase(java.util.Locale.ROOT)).as("names the http port").contains("http");
        }
    }

    @Test
    void dataDirUnderARegularFile(TestInfo test) throws Exception {
        // As root, permissions do not stop writes; a path below a regular file cannot be created.
        Path file = dir.resolve("a-regular-file");
        Files.writeString(file, "not a directory");
        String dataDir = file.resolve("data").toString();
        BatonJar.RunResult r = run(test, "node", "--id", "n1", "--members", members("n1", "n2", "n3"),
                "--data-dir", dataDir);
        assertFailedNaming(r, "--data-dir", dataDir);
    }

    @Test
    void maxValueBytesOutOfRange(TestInfo test) throws Exception {
        BatonJar.RunResult r = run(test, "node", "--id", "n1", "--members", members("n1", "n2", "n3"),
                "--data-dir", dataDir(test), "--max-value-bytes", "0");
        assertFailedNaming(r, "--max-value-bytes");
    }

    private static String dataDir(TestInfo test) {
        return dir.resolve(test.getTestMethod().orElseThrow().getName()).resolve("data").toString();
    }

    private static BatonJar.RunResult run(TestInfo test, String... args) throws Exception {
        return BatonCli.in(dir.resolve(test.getTestMethod().orElseThrow().getName()), EXIT_WITHIN).run(args);
    }

    private static void assertFailedNaming(BatonJar.RunResult r, String... mentions) {
        assertThat(r.timedOut()).as("the node must exit on bad configuration, not keep running; output:%n%s", r.output())
                .isFalse();
        assertThat(r.exitCode()).as("exit code; output:%n%s", r.output()).isNotZero();
        for (String m : mentions) {
            assertThat(r.output()).as("the message names %s", m).contains(m);
        }
    }
}
