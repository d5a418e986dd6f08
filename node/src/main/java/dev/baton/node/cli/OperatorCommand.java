package dev.baton.node.cli;

import dev.baton.client.BatonClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Base of the operator commands: parses the client options, opens a {@link BatonClient} for the
 * duration of one command and hands it to {@link #run}. Output goes to picocli's out/err writers
 * only. Exceptions are turned into one stderr line and an exit code by {@link BatonMain}.
 */
abstract class OperatorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions clientOptions;

    @Option(names = "--json", description = "Print JSON (one document) instead of text, for scripts.")
    boolean json;

    @Override
    public final Integer call() throws Exception {
        try (BatonClient client = clientOptions.newClient()) {
            return run(client);
        } finally {
            out().flush();
            err().flush();
        }
    }

    /** Runs the command; returns the exit code. */
    abstract int run(BatonClient client) throws Exception;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
