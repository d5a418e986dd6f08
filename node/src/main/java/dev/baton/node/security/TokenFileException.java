package dev.baton.node.security;

/** A token file that cannot be used; the message names the line (1-based, 0 = the whole file). */
public final class TokenFileException extends Exception {

    private final int line;

    public TokenFileException(int line, String message) {
        super((line > 0 ? "line " + line + ": " : "") + message);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
