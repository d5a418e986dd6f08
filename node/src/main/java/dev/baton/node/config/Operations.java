package dev.baton.node.config;

/**
 * How a node takes part in failover (see docs/operations.md).
 *
 * @param failover AUTO: a new leader becomes ACTIVE on its own; MANUAL: it waits in
 *     PENDING_APPROVAL until an operator runs {@code baton promote} (planned switchovers need no
 *     approval)
 * @param mode ACTIVE_PASSIVE: only the ACTIVE serves; ACTIVE_ACTIVE: every node serves reads from
 *     its replica and forwards writes to the ACTIVE
 * @param hooks commands run on role changes
 * @param noFailover this node replicates but is never made ACTIVE: elected, it hands over at once
 * @param preferredLeader a node to hand leadership to when it is caught up and not ACTIVE (null =
 *     none; no preemption otherwise)
 * @param reads LEASE: the ACTIVE answers linearizable reads from its own state while it holds its
 *     lease (Raft dissertation §6.4.1); LOG: every linearizable read passes through the log
 */
public record Operations(Failover failover, Mode mode, Hooks hooks, boolean noFailover, String preferredLeader, Reads reads) {

    /** How the ACTIVE answers a linearizable read. */
    public enum Reads {
        LEASE,
        LOG
    }

    /** Lease reads. */
    public Operations(Failover failover, Mode mode, Hooks hooks, boolean noFailover, String preferredLeader) {
        this(failover, mode, hooks, noFailover, preferredLeader, Reads.LEASE);
    }

    public enum Failover {
        AUTO,
        MANUAL
    }

    public enum Mode {
        ACTIVE_PASSIVE,
        ACTIVE_ACTIVE
    }

    public static final Operations DEFAULTS = new Operations(Failover.AUTO, Mode.ACTIVE_PASSIVE, Hooks.NONE, false, null);

    public Operations {
        if (failover == null) {
            throw new ConfigException("--failover", "must be auto or manual");
        }
        if (mode == null) {
            throw new ConfigException("--mode", "must be active-passive or active-active");
        }
        if (hooks == null) {
            hooks = Hooks.NONE;
        }
        if (reads == null) {
            throw new ConfigException("--reads", "must be lease or log");
        }
        if (preferredLeader != null && preferredLeader.isBlank()) {
            preferredLeader = null;
        }
    }

    /**
     * Shell commands ({@code /bin/sh -c}) run when this node becomes ACTIVE, STANDBY, FENCED or
     * UNHEALTHY, one at a time in role order, each killed after {@code timeoutMs}. Null = none.
     */
    public record Hooks(String onActive, String onStandby, String onFenced, String onUnhealthy, long timeoutMs) {
        public static final long DEFAULT_TIMEOUT_MS = 10_000;
        public static final Hooks NONE = new Hooks(null, null, null, null, DEFAULT_TIMEOUT_MS);

        /** No on-unhealthy hook. */
        public Hooks(String onActive, String onStandby, String onFenced, long timeoutMs) {
            this(onActive, onStandby, onFenced, null, timeoutMs);
        }

        public Hooks {
            if (timeoutMs < 100 || timeoutMs > 3_600_000) {
                throw new ConfigException("--hook-timeout-ms", timeoutMs + " is outside 100-3600000");
            }
            onActive = blankToNull(onActive);
            onStandby = blankToNull(onStandby);
            onFenced = blankToNull(onFenced);
            onUnhealthy = blankToNull(onUnhealthy);
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }
    }

    static Failover parseFailover(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> Failover.AUTO;
            case "manual" -> Failover.MANUAL;
            default -> throw new ConfigException("--failover", "'" + s + "' is not auto or manual");
        };
    }

    static Mode parseMode(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "active-passive" -> Mode.ACTIVE_PASSIVE;
            case "active-active" -> Mode.ACTIVE_ACTIVE;
            default -> throw new ConfigException("--mode", "'" + s + "' is not active-passive or active-active");
        };
    }

    static Reads parseReads(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "lease" -> Reads.LEASE;
            case "log" -> Reads.LOG;
            default -> throw new ConfigException("--reads", "'" + s + "' is not lease or log");
        };
    }

    /** Parses the command-line spellings ({@code auto|manual}, {@code active-passive|active-active}); lease reads. */
    public static Operations of(String failover, String mode, Hooks hooks, boolean noFailover, String preferredLeader) {
        return of(failover, mode, hooks, noFailover, preferredLeader, "lease");
    }

    /** As {@link #of(String, String, Hooks, boolean, String)} with {@code lease|log} reads. */
    public static Operations of(String failover, String mode, Hooks hooks, boolean noFailover, String preferredLeader,
            String reads) {
        return new Operations(parseFailover(failover), parseMode(mode), hooks, noFailover, preferredLeader, parseReads(reads));
    }
}
