package dev.baton.node.cli;

import dev.baton.client.BatonClient;
import dev.baton.client.wire.PromoteResult;
import picocli.CommandLine.Command;

/** {@code baton promote}: approve the leader waiting in PENDING_APPROVAL. */
@Command(
        name = "promote",
        mixinStandardHelpOptions = true,
        description = {"Approve the leader that waits in PENDING_APPROVAL (failover=manual or maintenance on),",
            "so it becomes ACTIVE. The approval is committed for its term. Harmless if it is ACTIVE already."},
        footer = {"", "Exit codes: 0 ok, 1 failure, 2 usage error, 3 no leader within --timeout."})
final class PromoteCommand extends OperatorCommand {

    @Override
    int run(BatonClient client) {
        PromoteResult r = client.promote();
        out().println(json ? Output.json(r)
                : (r.promoted() ? "promoted " : "already active: ") + r.id() + " term " + r.term());
        return ExitCodes.OK;
    }
}
