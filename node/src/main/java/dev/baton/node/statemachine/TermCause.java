package dev.baton.node.statemachine;

import java.util.Locale;

/**
 * Why a leadership term began. Decided when the term's first entry is applied ({@link
 * TermCauses#classify}), refined by an approval ({@link #PROMOTE}) or the end of maintenance
 * ({@link #MAINTENANCE}) if the new leader waited for one. The names are the wire format (lower
 * case in JSON): never rename one.
 */
public enum TermCause {
    /** No earlier leader this node saw: the first leader of a fresh cluster or after a full restart. */
    STARTUP,
    /** The old leader's process was confirmed dead (its transport port refused connections). */
    CRASH,
    /**
     * The old leader stopped answering but its port did not refuse: hung, paused (SIGSTOP), or cut
     * off by a partition. A partition cannot be told apart from a hang when the new leader starts,
     * so it is folded in here.
     */
    SUSPECT,
    /** Reserved: a partition told apart from a hang (not detected yet; see {@link #SUSPECT}). */
    PARTITION,
    /** An operator's planned switchover ({@code POST /v1/admin/transfer}). */
    SWITCHOVER,
    /** The old leader handed over by itself: SIGTERM while ACTIVE, or a no-failover node elected. */
    HANDOVER,
    /** The new leader waited for an operator's approval (manual mode, {@code POST /v1/admin/promote}). */
    PROMOTE,
    /** The new leader waited, because of maintenance mode, until maintenance ended. */
    MAINTENANCE,
    /** Not known: the entry was written by a version that recorded no cause, or the facts do not fit. */
    UNKNOWN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The cause named {@code wire}, or {@link #UNKNOWN} for a name this build does not know. */
    public static TermCause fromWire(String wire) {
        for (TermCause c : values()) {
            if (c.wireName().equals(wire)) {
                return c;
            }
        }
        return UNKNOWN;
    }
}
