package dev.baton.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code baton}: the one command line of the runnable jar. {@code baton node} runs a peer; the
 * other subcommands are operator tools that talk to a running cluster over HTTP through the Baton
 * client. Usage errors exit 2 (picocli's default); failures print one line on stderr.
 */
@Command(
        name = "baton",
        mixinStandardHelpOptions = true,
        versionProvider = BatonMain.Version.class,
        description = "Baton: one active node, fast failover, no split brain.",
        subcommands = {
            NodeCommand.class,
            StatusCommand.class,
            LeaderCommand.class,
            WatchCommand.class,
            HistoryCommand.class,
            GetCommand.class,
            PutCommand.class,
            CasCommand.class,
            DeleteCommand.class,
            ListCommand.class,
            PromoteCommand.class,
            MaintenanceCommand.class,
            TransferCommand.class,
            MembersCommand.class,
            TokenCommand.class,
            SnapshotCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {
            "",
            "Operator commands take --seeds URL,... (default $BATON_SEEDS, else",
            "http://127.0.0.11:8080,http://127.0.0.12:8080,http://127.0.0.13:8080), --timeout and --json.",
            "Exit codes: 0 ok, 1 failure, 2 usage error, 3 no active node, 4 not found, 5 revision",
            "mismatch, 6 write outcome unknown, 7 watch timed out, 8 token refused; see each command's --help.",
            "With tokens on (node --token-file), give one with --token, --token-file or $BATON_TOKEN."
        })
public final class BatonMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.log.dev.baton.client") == null) {
            // the client logs leader moves at INFO: noise for a one-shot operator command
            System.setProperty("org.slf4j.simpleLogger.log.dev.baton.client", "warn");
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests replace its out/err writers. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new BatonMain());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("baton " + cmd.getCommandName() + ": " + describe(ex));
            cmd.getErr().flush();
            return ExitCodes.forException(ex);
        });
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** The jar's Implementation-Version, if the manifest has one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = BatonMain.class.getPackage().getImplementationVersion();
            return new String[] {"baton " + (v == null ? "(development build)" : v)};
        }
    }
}
