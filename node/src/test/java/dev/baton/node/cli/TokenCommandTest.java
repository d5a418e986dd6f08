package dev.baton.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.node.security.AccessRole;
import dev.baton.node.security.TokenFile;
import dev.baton.node.security.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code baton token create} and the operator commands' token options, without a cluster. */
class TokenCommandTest {

    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();

    @Test
    void createPrintsTheTokenAndItsHashedLine() throws Exception {
        assertThat(cli.run("token", "create", "--name", "ops", "--role", "admin")).isZero();
        String[] lines = cli.out().split("\\R");
        assertThat(lines).hasSize(2);
        Tokens parsed = TokenFile.parse(lines[1]);
        assertThat(parsed.match(lines[0]).orElseThrow().role()).isEqualTo(AccessRole.ADMIN);
        assertThat(lines[1]).doesNotContain(lines[0]);
    }

    @Test
    void appendToAddsALineTheNodeAccepts() throws Exception {
        Path f = dir.resolve("tokens");
        Files.writeString(f, "# no newline at the end");
        assertThat(cli.run("token", "create", "--name", "a", "--role", "read", "--append-to", f.toString())).isZero();
        assertThat(cli.run("token", "create", "--name", "b", "--role", "write", "--append-to", f.toString())).isZero();
        String[] tokens = cli.out().split("\\R");
        assertThat(tokens).hasSize(2);
        Tokens parsed = TokenFile.parse(Files.readString(f));
        assertThat(parsed.size()).isEqualTo(2);
        assertThat(parsed.match(tokens[1]).orElseThrow().name()).isEqualTo("b");
    }

    @Test
    void badRoleOrNameIsAUsageError() {
        assertThat(cli.run("token", "create", "--name", "a", "--role", "root")).isEqualTo(2);
        assertThat(cli.err()).contains("unknown role 'root'");
        assertThat(cli.run("token", "create", "--name", "#a", "--role", "read")).isEqualTo(2);
    }

    @Test
    void tokenOptionsOfTheOperatorCommands() throws Exception {
        ClientOptions o = new ClientOptions();
        o.token = "t1";
        o.tokenFile = dir.resolve("none");
        assertThat(o.token()).as("--token wins").isEqualTo("t1");
        o.token = null;
        Path f = dir.resolve("cli-token");
        Files.writeString(f, "  t2  \nignored\n");
        o.tokenFile = f;
        assertThat(o.token()).isEqualTo("t2");
    }
}
