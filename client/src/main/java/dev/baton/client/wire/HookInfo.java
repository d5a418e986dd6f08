package dev.baton.client.wire;

/** The last hook a node ran: which event, the command, its exit code (-1: not started or killed), and any error. */
public record HookInfo(String event, long term, String command, int exitCode, long durationMs, String error, long finishedAtEpochMs) {}
