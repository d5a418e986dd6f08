package dev.baton.node.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A keystore password kept in a file (not an option value, so it is not in the process list). */
final class PasswordFile {

    private PasswordFile() {}

    /** The file's first line without its line end; empty or unreadable is a {@link ConfigException} naming {@code option}. */
    static char[] read(String option, Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = end < 0 ? text : text.substring(0, end);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                throw new ConfigException(option, file + " is empty (its first line is the keystore password)");
            }
            return line.toCharArray();
        } catch (IOException e) {
            throw new ConfigException(option, "cannot read " + file + ": " + e, e);
        }
    }
}
