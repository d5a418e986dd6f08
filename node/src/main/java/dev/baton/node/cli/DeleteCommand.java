package dev.baton.node.cli;

import dev.baton.client.BatonClient;
import dev.baton.client.wire.WriteResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code baton delete KEY}. */
@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = {"Delete KEY. Prints 'revision N term T', or says the key did not exist (still exit 0).",
            "--json prints the write result (existed=false if there was nothing to delete)."},
        footer = {
            "",
            "Exit codes: 0 ok (deleted or absent), 1 other failure, 2 usage error or invalid key,",
            "  3 no active node (nothing deleted), 6 outcome unknown (may have been deleted)."
        })
final class DeleteCommand extends OperatorCommand {

    @Parameters(index = "0", paramLabel = "KEY", description = "The key (may contain '/').")
    String key;

    @Override
    int run(BatonClient client) {
        WriteResult result = client.delete(key);
        if (json) {
            out().println(Output.json(result));
        } else if (result.existed()) {
            out().println(Output.writeLine(result));
        } else {
            out().println("key '" + key + "' did not exist; " + Output.writeLine(result));
        }
        return ExitCodes.OK;
    }
}
