package dev.baton.node.cli;

import dev.baton.client.BatonClient;
import dev.baton.client.wire.WriteResult;
import java.io.InputStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baton cas KEY EXPECTED_REVISION VALUE|-|--file F}. */
@Command(
        name = "cas",
        mixinStandardHelpOptions = true,
        description = {"Compare-and-set: set KEY to VALUE only if its revision is EXPECTED_REVISION",
            "(0 = KEY must not exist). Prints 'revision N term T'; --json prints the write result."},
        footer = {
            "",
            "Exit codes: 0 ok, 1 other failure, 2 usage error or invalid key, 3 no active node",
            "  (nothing written), 5 revision mismatch (stderr names the current revision),",
            "  6 outcome unknown (may have been written)."
        })
final class CasCommand extends OperatorCommand {

    @Parameters(index = "0", paramLabel = "KEY", description = "The key (may contain '/').")
    String key;

    @Parameters(index = "1", paramLabel = "EXPECTED_REVISION", description = "The key's current revision; 0 = must not exist.")
    long expectedRevision;

    @Parameters(index = "2", paramLabel = "VALUE", arity = "0..1", description = "The value; '-' reads stdin.")
    String value;

    @Option(names = "--file", paramLabel = "FILE", description = "Read the value from FILE (bytes as they are).")
    Path file;

    InputStream stdin = System.in;

    @Override
    int run(BatonClient client) throws Exception {
        if (expectedRevision < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "EXPECTED_REVISION must be >= 0 (0 = key must not exist), got " + expectedRevision);
        }
        WriteResult result = client.compareAndSet(key, expectedRevision, ValueInput.read(spec, value, file, stdin));
        out().println(json ? Output.json(result) : Output.writeLine(result));
        return ExitCodes.OK;
    }
}
