package dev.baton.node.cli;

import dev.baton.client.BatonClient;
import dev.baton.client.wire.LeaderInfo;
import picocli.CommandLine.Command;

/** {@code baton leader}: the ACTIVE node, as {@code ID URL term N}. */
@Command(
        name = "leader",
        mixinStandardHelpOptions = true,
        description = {"Print the ACTIVE node as 'ID URL term N' (the term is the fencing token).",
            "Asks every known node; the answer with the highest term wins."},
        footer = {"", "Exit codes: 0 ok, 2 usage error, 3 no active node within --timeout."})
final class LeaderCommand extends OperatorCommand {

    @Override
    int run(BatonClient client) {
        LeaderInfo leader = client.leader();
        out().println(json ? Output.json(leader) : Output.leaderLine(leader));
        return ExitCodes.OK;
    }
}
