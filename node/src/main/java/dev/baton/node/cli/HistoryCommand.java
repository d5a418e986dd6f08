package dev.baton.node.cli;

import dev.baton.client.BatonClient;
import dev.baton.client.wire.LeadershipHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code baton history}: the replicated leadership history as a table, oldest term first. */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description = {
            "Print the leadership history, oldest term first: term, leader, why the term began",
            "(startup, crash, suspect, switchover, handover, promote, maintenance, unknown), when it",
            "became ACTIVE (ISO time), when it ended, the gap without an ACTIVE before it, its duration.",
            "Any node answers from its replica. --json prints the node's answer as it is (with the",
            "'clock' field saying whose clock each time comes from)."
        },
        footer = {"", "Exit codes: 0 ok, 2 usage error, 3 no node answered within --timeout."})
final class HistoryCommand extends OperatorCommand {

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Newest N terms, 1..1000 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int run(BatonClient client) {
        if (limit < 1 || limit > 1000) {
            throw new ParameterException(spec.commandLine(), "--limit must be 1..1000, got " + limit);
        }
        LeadershipHistory history = client.history(limit);
        if (json) {
            out().println(Output.json(history));
        } else {
            out().print(HistoryOutput.table(history.terms()));
        }
        return ExitCodes.OK;
    }
}
