package dev.baton.node.cli;

import dev.baton.client.BatonClient;
import dev.baton.client.wire.MaintenanceInfo;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code baton maintenance on|off [--for DURATION]}: suspend or resume automatic promotion cluster-wide. */
@Command(
        name = "maintenance",
        mixinStandardHelpOptions = true,
        description = {"Switch maintenance mode: while on, no new leader becomes ACTIVE without 'baton promote'",
            "(the current ACTIVE stays ACTIVE). Replicated: applies to every node."},
        footer = {"", "Exit codes: 0 ok, 1 failure, 2 usage error, 3 no leader within --timeout."})
final class MaintenanceCommand extends OperatorCommand {

    @Parameters(index = "0", paramLabel = "on|off", description = "on or off")
    String state;

    @Option(names = "--for", paramLabel = "DURATION", converter = ClientOptions.DurationConverter.class,
            description = "With on: end maintenance by itself after this long (e.g. 30m).")
    Duration duration;

    @Override
    int run(BatonClient client) {
        boolean on;
        if (state.equalsIgnoreCase("on")) {
            on = true;
        } else if (state.equalsIgnoreCase("off")) {
            on = false;
        } else {
            err().println("baton maintenance: '" + state + "' is not on or off");
            return ExitCodes.USAGE;
        }
        MaintenanceInfo m = client.maintenance(on, duration);
        if (json) {
            out().println(Output.json(m));
        } else if (!m.enabled()) {
            out().println("maintenance off");
        } else {
            out().println("maintenance on" + (m.untilEpochMs() > 0 ? " until " + Instant.ofEpochMilli(m.untilEpochMs()) : ""));
        }
        return ExitCodes.OK;
    }
}
