package dev.baton.node.cli;

import dev.baton.client.BatonClient;
import dev.baton.client.wire.TransferResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code baton transfer [--to ID]}: planned switchover. */
@Command(
        name = "transfer",
        mixinStandardHelpOptions = true,
        description = {"Planned switchover: the ACTIVE stops taking writes, makes sure the target has every entry,",
            "and hands leadership over. Without --to: the preferred leader if caught up, else the most caught-up standby."},
        footer = {"", "Exit codes: 0 ok, 1 failure (the cluster elects a leader by itself), 2 usage error, 3 no active within --timeout."})
final class TransferCommand extends OperatorCommand {

    @Option(names = "--to", paramLabel = "ID", description = "The member to hand leadership to.")
    String to;

    @Override
    int run(BatonClient client) {
        TransferResult r = client.transfer(to);
        out().println(json ? Output.json(r) : "transferred term " + r.fromTerm() + " from " + r.from() + " to " + r.to() + " (term " + r.term() + ")");
        return ExitCodes.OK;
    }
}
