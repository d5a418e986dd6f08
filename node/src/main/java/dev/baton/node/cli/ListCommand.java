package dev.baton.node.cli;

import dev.baton.client.BatonClient;
import dev.baton.client.wire.KvEntry;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code baton list [PREFIX]}. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = {"List the keys starting with PREFIX (all keys without it), sorted; at most the node's",
            "limit (1000). Prints KEY REVISION VALUE (control characters escaped); --json prints the entries."},
        footer = {"", "Exit codes: 0 ok (also when nothing matches), 1 other failure, 2 usage error, 3 no active node."})
final class ListCommand extends OperatorCommand {

    @Parameters(index = "0", paramLabel = "PREFIX", arity = "0..1", defaultValue = "", description = "Key prefix.")
    String prefix;

    @Override
    int run(BatonClient client) {
        List<KvEntry> entries = client.list(prefix);
        if (json) {
            out().println(Output.json(entries));
        } else if (!entries.isEmpty()) {
            out().print(Output.entriesTable(entries));
        }
        return ExitCodes.OK;
    }
}
