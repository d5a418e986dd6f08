package dev.baton.node.cli;

import dev.baton.client.BatonClient;
import dev.baton.client.Consistency;
import dev.baton.client.ReadResult;
import dev.baton.client.wire.KvEntry;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baton get [--stale] KEY}. */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        description = {
            "Print the value of KEY (linearizable read from the ACTIVE). --json prints {key,value,revision}.",
            "--stale reads any node's replica instead (works without an ACTIVE, may miss recent writes);",
            "with --json it adds node, appliedIndex and stalenessMs (upper bound on how far behind the",
            "node was; 0 on the ACTIVE, -1 unknown)."
        },
        footer = {"", "Exit codes: 0 ok, 2 usage error or invalid key, 3 no active node (--stale: no node answered),",
            "  4 key not found."})
final class GetCommand extends OperatorCommand {

    @Parameters(index = "0", paramLabel = "KEY", description = "The key (may contain '/').")
    String key;

    @Option(names = "--stale", description = "Read from any node's local replica (not linearizable).")
    boolean stale;

    @Override
    int run(BatonClient client) {
        Optional<KvEntry> entry;
        if (stale) {
            ReadResult<Optional<KvEntry>> read = client.get(key, Consistency.STALE);
            entry = read.value();
            if (json) {
                out().println(Output.staleJson(key, read));
            }
        } else {
            entry = client.get(key);
            if (json && entry.isPresent()) {
                out().println(Output.json(entry.get()));
            }
        }
        if (entry.isEmpty()) {
            err().println("baton get: key '" + key + "' not found");
            return ExitCodes.NOT_FOUND;
        }
        if (!json) {
            out().println(entry.get().value());
        }
        return ExitCodes.OK;
    }
}
