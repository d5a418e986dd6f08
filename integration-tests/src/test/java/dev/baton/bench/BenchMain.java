package dev.baton.bench;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The command-line frame of a benchmark main: parse the options (null: help asked for), print the
 * usage with exit code 2 on a bad option, else run and exit with the run's code.
 */
final class BenchMain {

    /** Runs the benchmark on the parsed options; returns the exit code. */
    interface Run<O> {
        int run(O options) throws Exception;
    }

    private BenchMain() {}

    static <O> void main(String name, String[] args, Function<String[], O> parse, Supplier<String> usage, Run<O> run)
            throws Exception {
        O options;
        try {
            options = parse.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            System.err.println(usage.get());
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(usage.get());
            return;
        }
        System.exit(run.run(options));
    }
}
