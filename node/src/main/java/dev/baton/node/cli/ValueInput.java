package dev.baton.node.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Where a written value comes from: the VALUE argument, {@code -} for stdin, or {@code --file}. */
final class ValueInput {

    private ValueInput() {}

    /**
     * @throws ParameterException (exit 2) unless exactly one of {@code value} and {@code file} is given
     */
    static byte[] read(CommandSpec spec, String value, Path file, InputStream stdin) throws IOException {
        if ((value == null) == (file == null)) {
            throw new ParameterException(spec.commandLine(),
                    "give the value either as VALUE ('-' for stdin) or with --file, exactly one of them");
        }
        if (file != null) {
            return Files.readAllBytes(file);
        }
        if (value.equals("-")) {
            return stdin.readAllBytes();
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
