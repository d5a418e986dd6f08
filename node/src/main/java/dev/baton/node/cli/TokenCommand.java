package dev.baton.node.cli;

import dev.baton.node.security.AccessRole;
import dev.baton.node.security.TokenFile;
import dev.baton.node.security.TokenGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code baton token create}: a new bearer token and its line for {@code --token-file}. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Bearer tokens for nodes started with --token-file.",
        subcommands = TokenCommand.Create.class)
final class TokenCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand (create)");
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {"Makes a random token (256 bits) and prints it on stdout, alone on the first line.",
                "Without --append-to, the token-file line (name, role, SHA-256 of the token) follows on stdout;",
                "with it, that line is appended to FILE (created if missing) and nodes pick it up within a second.",
                "The token itself is stored nowhere: keep it (e.g. in a file for --token-file of the CLI)."},
            footer = {"", "Exit codes: 0 ok, 1 the file cannot be written, 2 usage error."})
    static final class Create implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--name", required = true, description = "A name for the token (no spaces), shown in 403 messages.")
        String name;

        @Option(names = "--role", required = true, description = "read, write or admin (each includes the ones before).")
        String role;

        @Option(names = "--append-to", paramLabel = "FILE", description = "Append the line to this token file.")
        Path appendTo;

        @Override
        public Integer call() throws IOException {
            AccessRole r;
            try {
                r = AccessRole.parse(role);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--role: " + e.getMessage());
            }
            if (name.isBlank() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f) || name.startsWith("#")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--name must be printable ASCII without spaces, not starting with #");
            }
            String token = TokenGenerator.create();
            String line = TokenFile.line(name, r, token);
            if (appendTo != null) {
                // a last line without its newline would otherwise be joined to ours
                boolean joinsLast = Files.isRegularFile(appendTo) && Files.size(appendTo) > 0
                        && !Files.readString(appendTo, StandardCharsets.UTF_8).endsWith("\n");
                Files.writeString(appendTo, (joinsLast ? "\n" : "") + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            spec.commandLine().getOut().println(token);
            if (appendTo == null) {
                spec.commandLine().getOut().println(line);
            }
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}
