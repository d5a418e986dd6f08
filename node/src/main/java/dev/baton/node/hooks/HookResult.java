package dev.baton.node.hooks;

/**
 * How one hook run ended. {@code exitCode} is -1 if it could not be started or was killed on
 * timeout ({@code error} says which).
 */
public record HookResult(String event, long term, String command, int exitCode, long durationMs, String error, long finishedAtEpochMs) {

    public boolean ok() {
        return exitCode == 0 && error == null;
    }
}
