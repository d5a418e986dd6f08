package dev.baton.node.cli;

import dev.baton.client.AccessDeniedException;
import dev.baton.client.BatonClient;
import dev.baton.client.NodeStatusResult;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code baton status}: every known node's own view, as a table. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Show every node: ID, ROLE, TERM, LEADER, COMMIT, APPLIED, LAG (entries the node has not",
            "acknowledged, as the ACTIVE reports it), LEASE (time left of a leading node's lease), URL.",
            "Asks the seeds and the members they report, in parallel; a node that does not answer",
            "within --request-timeout shows as UNREACHABLE (the reason goes to stderr)."
        },
        footer = {
            "",
            "Exit codes:",
            "  0  a node reports itself ACTIVE",
            "  1  nodes answered, but none is ACTIVE (election in progress, no quorum, ...)",
            "  2  usage error (bad option or seed URL)",
            "  3  no node answered",
            "  8  the nodes refused the token (see --token)"
        })
final class StatusCommand extends OperatorCommand {

    @Override
    int run(BatonClient client) {
        List<NodeStatusResult> results = client.statusAll();
        if (json) {
            out().println(Output.statusJson(results));
        } else {
            out().print(Output.statusTable(results));
            for (NodeStatusResult r : results) {
                if (r.error() != null) {
                    err().println(r.error().getMessage());
                }
            }
        }
        long active = activeCount(results);
        if (active > 1) {
            err().println("warning: " + active + " nodes report ACTIVE; their terms tell which one is current");
        }
        return exitCode(results);
    }

    static long activeCount(List<NodeStatusResult> results) {
        return results.stream().filter(r -> r.answered() && "ACTIVE".equals(r.status().role())).count();
    }

    static int exitCode(List<NodeStatusResult> results) {
        if (activeCount(results) > 0) {
            return ExitCodes.OK;
        }
        if (results.stream().anyMatch(NodeStatusResult::answered)) {
            return ExitCodes.FAILURE;
        }
        return results.stream().anyMatch(r -> r.error() instanceof AccessDeniedException) ? ExitCodes.ACCESS_DENIED : ExitCodes.NO_LEADER;
    }
}
