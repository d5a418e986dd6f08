package dev.baton.client.wire;

/**
 * Maintenance mode as a node sees it: while {@code enabled} (and before {@code untilEpochMs}, if
 * not 0), no new leader becomes ACTIVE without {@code baton promote}.
 */
public record MaintenanceInfo(boolean enabled, long untilEpochMs) {}
