package dev.baton.node.cli;

import dev.baton.client.BatonClient;
import dev.baton.client.wire.WriteResult;
import java.io.InputStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baton put KEY VALUE|-|--file F}. */
@Command(
        name = "put",
        mixinStandardHelpOptions = true,
        description = {"Set KEY to VALUE ('-' reads stdin, or use --file); answers after a majority committed it.",
            "Prints 'revision N term T'; --json prints the write result."},
        footer = {
            "",
            "Exit codes: 0 ok, 1 other failure (e.g. value too large), 2 usage error or invalid key,",
            "  3 no active node within --timeout (nothing written), 6 outcome unknown (may have been written)."
        })
final class PutCommand extends OperatorCommand {

    @Parameters(index = "0", paramLabel = "KEY", description = "The key (may contain '/').")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE", arity = "0..1", description = "The value; '-' reads stdin.")
    String value;

    @Option(names = "--file", paramLabel = "FILE", description = "Read the value from FILE (bytes as they are).")
    Path file;

    InputStream stdin = System.in;

    @Override
    int run(BatonClient client) throws Exception {
        WriteResult result = client.put(key, ValueInput.read(spec, value, file, stdin));
        out().println(json ? Output.json(result) : Output.writeLine(result));
        return ExitCodes.OK;
    }
}
