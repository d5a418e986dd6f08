package dev.baton.node.cli;

import dev.baton.client.BatonClient;
import dev.baton.client.wire.MemberEntry;
import dev.baton.client.wire.MemberInfo;
import dev.baton.client.wire.MemberList;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baton members [add ID=HOST:RAFT_PORT:HTTP_PORT | remove ID]}: show or change the cluster's members. */
@Command(
        name = "members",
        mixinStandardHelpOptions = true,
        description = {"Show the member table (replicated: every node has it), or change it one member at a time",
            "through the ACTIVE:",
            "  baton members                              the table: id, raft address, URL, voter/joining, lag, connected",
            "  baton members add ID=HOST:RAFT_PORT:HTTP_PORT   add a joining member; then start it with",
            "                                             'baton node --id ID --join URL,... --data-dir EMPTY_DIR'",
            "  baton members remove ID                    remove a member (the ACTIVE hands over first)"},
        footer = {"", "A joining member receives the log as a learner and becomes a voter once it has caught up, so",
            "adding one never costs the quorum. Changes that would leave no reachable majority are refused.",
            "Exit codes: 0 ok, 1 failure (the message says why), 2 usage error, 3 no active node, 7 --wait timed out."})
final class MembersCommand extends OperatorCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "add|remove", description = "add or remove; none: show the table")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "MEMBER", description = "add: ID=HOST:RAFT_PORT:HTTP_PORT; remove: ID")
    String member;

    @Option(names = "--wait", paramLabel = "DURATION", converter = ClientOptions.DurationConverter.class,
            description = "add: wait up to this long until the new member votes (it must be started meanwhile).")
    Duration wait;

    @Override
    int run(BatonClient client) throws Exception {
        if (action == null) {
            print(client.members());
            return ExitCodes.OK;
        }
        if (member == null || member.isBlank()) {
            err().println("baton members " + action + ": the member is missing (add ID=HOST:RAFT_PORT:HTTP_PORT, remove ID)");
            return ExitCodes.USAGE;
        }
        switch (action) {
            case "add" -> {
                MemberList after = client.addMember(member);
                String id = member.substring(0, Math.max(0, member.indexOf('=')));
                if (json && wait == null) {
                    out().println(Output.json(after));
                } else if (!json) {
                    out().println("added " + id + " as joining; start it with: baton node --id " + id + " --join "
                            + String.join(",", urls(after)) + " --data-dir EMPTY_DIR");
                }
                if (wait != null) {
                    return awaitVoter(client, id);
                }
                return ExitCodes.OK;
            }
            case "remove" -> {
                MemberList after = client.removeMember(member);
                if (json) {
                    out().println(Output.json(after));
                } else {
                    out().println("removed " + member + "; members now: " + after.members().stream().map(MemberEntry::id).toList());
                }
                return ExitCodes.OK;
            }
            default -> {
                err().println("baton members: '" + action + "' is not add or remove");
                return ExitCodes.USAGE;
            }
        }
    }

    private int awaitVoter(BatonClient client, String id) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            MemberList now = client.members();
            MemberEntry e = now.members().stream().filter(m -> m.id().equals(id)).findFirst().orElse(null);
            if (e != null && MemberInfo.VOTER.equals(e.status())) {
                if (json) {
                    out().println(Output.json(now));
                } else {
                    out().println(id + " is a voter");
                }
                return ExitCodes.OK;
            }
            if (System.nanoTime() - deadline > 0) {
                err().println("baton members add: " + id + " is still " + (e == null ? "not a member" : e.status()) + " after "
                        + Output.seconds(wait.toMillis()) + " (is it started with --join, and can it reach the others?)");
                return ExitCodes.TIMED_OUT;
            }
            Thread.sleep(200);
        }
    }

    private static List<String> urls(MemberList list) {
        List<String> out = new ArrayList<>();
        for (MemberEntry m : list.members()) {
            if (MemberInfo.VOTER.equals(m.status())) {
                out.add(m.url());
            }
        }
        return out;
    }

    private void print(MemberList list) {
        if (json) {
            out().println(Output.json(list));
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (MemberEntry m : list.members()) {
            rows.add(List.of(m.id(), m.raftAddress(), m.url(), m.status(), m.lagEntries() == null ? "-" : Long.toString(m.lagEntries()),
                    m.connected() ? "yes" : "no"));
        }
        out().print(Output.table(List.of("ID", "RAFT", "URL", "STATUS", "LAG", "CONNECTED"), rows));
        out().println("answered by " + list.answeredBy() + (list.leader() == null ? ", no ACTIVE known" : ", ACTIVE " + list.leader())
                + (list.lastChange().isEmpty() ? "" : "; last change: " + list.lastChange()));
    }
}
