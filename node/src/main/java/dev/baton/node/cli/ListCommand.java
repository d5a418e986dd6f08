package dev.baton.node.cli;

import dev.baton.client.BatonClient;
import dev.baton.client.KvPage;
import dev.baton.client.wire.KvEntry;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code baton list [PREFIX]}. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = {"List the keys starting with PREFIX (all keys without it), sorted: all of them, read in pages",
            "of 1000, or with --limit one page, which says on stderr how to continue when more keys follow.",
            "Prints KEY REVISION VALUE (control characters escaped); --json prints the entries."},
        footer = {"", "Exit codes: 0 ok (also when nothing matches), 1 other failure, 2 usage error, 3 no active node."})
final class ListCommand extends OperatorCommand {

    @Parameters(index = "0", paramLabel = "PREFIX", arity = "0..1", defaultValue = "", description = "Key prefix.")
    String prefix;

    @Option(names = "--limit", paramLabel = "N", description = "At most N entries (1-100000): one page.")
    Integer limit;

    @Option(names = "--after", paramLabel = "KEY", defaultValue = "",
            description = "Start after this key (the one the previous page named); needs --limit.")
    String after;

    @Override
    int run(BatonClient client) {
        if (limit != null && (limit < 1 || limit > 100_000)) {
            throw new ParameterException(spec.commandLine(), "--limit must be 1-100000, got " + limit);
        }
        if (limit == null && !after.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--after needs --limit");
        }
        List<KvEntry> entries;
        Optional<String> next = Optional.empty();
        if (limit == null) {
            entries = client.list(prefix);
        } else {
            KvPage page = client.listPage(prefix, after, limit);
            entries = page.entries();
            next = page.nextAfter();
        }
        if (json) {
            out().println(Output.json(entries));
        } else if (!entries.isEmpty()) {
            out().print(Output.entriesTable(entries));
        }
        next.ifPresent(key -> err().println("more keys follow; next page: baton list " + Output.shellQuote(prefix)
                + " --limit " + limit + " --after " + Output.shellQuote(key)));
        return ExitCodes.OK;
    }
}
