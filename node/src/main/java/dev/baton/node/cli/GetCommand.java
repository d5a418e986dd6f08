package dev.baton.node.cli;

import dev.baton.client.BatonClient;
import dev.baton.client.wire.KvEntry;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code baton get KEY}. */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        description = "Print the value of KEY (linearizable read from the ACTIVE). --json prints {key,value,revision}.",
        footer = {"", "Exit codes: 0 ok, 2 usage error or invalid key, 3 no active node, 4 key not found."})
final class GetCommand extends OperatorCommand {

    @Parameters(index = "0", paramLabel = "KEY", description = "The key (may contain '/').")
    String key;

    @Override
    int run(BatonClient client) {
        Optional<KvEntry> entry = client.get(key);
        if (entry.isEmpty()) {
            err().println("baton get: key '" + key + "' not found");
            return ExitCodes.NOT_FOUND;
        }
        out().println(json ? Output.json(entry.get()) : entry.get().value());
        return ExitCodes.OK;
    }
}
