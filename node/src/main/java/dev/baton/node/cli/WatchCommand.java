package dev.baton.node.cli;

import dev.baton.client.BatonClient;
import dev.baton.client.LeaderEvent;
import dev.baton.client.LeaderWatch;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code baton watch}: one line per leadership change, until Ctrl-C, --count or --timeout. */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description = {
            "Print the current leadership, then one line per change, in term order, each term once:",
            "  term N leader ID URL     (ID is ACTIVE in term N)",
            "  term N no leader         (the active of term N is gone; an election may be running)",
            "Follows the cluster across failovers (reconnects to any node). Runs until Ctrl-C, or until",
            "--count events were printed; --timeout bounds the whole run (default: no limit).",
            "--json prints one object per line: {\"event\":\"leader\",\"term\":N,\"id\":...,\"url\":...}",
            "or {\"event\":\"no_leader\",\"term\":N}.",
            "--history also prints each new term of the leadership history once it is recorded:",
            "  history term N leader ID cause CAUSE gap G (previous ID)",
            "(with --json: {\"event\":\"history\",\"term\":{...}}); these lines do not count for --count."
        },
        footer = {
            "",
            "Exit codes: 0 --count events printed (or --timeout passed without --count), 2 usage error,",
            "  7 --timeout passed before --count events (the events seen are printed)."
        })
final class WatchCommand extends OperatorCommand {

    @Option(names = "--count", paramLabel = "K", description = "Exit 0 after K events (default: run until stopped).")
    int count;

    @Option(names = "--history", description = "Also print each new leadership term with its cause and gap (see baton history).")
    boolean history;

    @Override
    int run(BatonClient client) throws InterruptedException {
        if (count < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--count must be >= 0, got " + count);
        }
        boolean bounded = spec.commandLine().getParseResult().hasMatchedOption("--timeout");
        long end = System.nanoTime() + clientOptions.timeout.toNanos();
        BlockingQueue<LeaderEvent> events = new LinkedBlockingQueue<>();
        LeaderWatch watch = client.watchLeader(events::add);
        HistoryFollower follower = history ? new HistoryFollower(client) : null;
        try {
            int seen = 0;
            while (count == 0 || seen < count) {
                LeaderEvent event = bounded
                        ? events.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)
                        : events.take();
                if (event == null) {
                    if (count == 0) {
                        return ExitCodes.OK;
                    }
                    err().println("baton watch: " + seen + " of " + count + " events within "
                            + format(clientOptions.timeout));
                    return ExitCodes.TIMED_OUT;
                }
                out().println(json ? Output.eventJson(event) : event.toString());
                if (follower != null && event.hasLeader()) {
                    follower.printUpTo(event.term(), out(), json);
                }
                out().flush();
                seen++;
            }
            return ExitCodes.OK;
        } finally {
            watch.close();
        }
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
