package dev.baton.client;

import dev.baton.client.wire.LeaderInfo;
import java.util.Objects;
import java.util.Optional;

/**
 * A leadership change seen by {@link BatonClient#watchLeader}: the ACTIVE of {@code term}, or "no
 * active" (the active of the last term is gone or fenced, an election may be running). Immutable.
 */
public final class LeaderEvent {

    private final long term;
    private final LeaderInfo leader;

    private LeaderEvent(long term, LeaderInfo leader) {
        this.term = term;
        this.leader = leader;
    }

    /** {@code leader} is the ACTIVE of its term. */
    public static LeaderEvent leader(LeaderInfo leader) {
        Objects.requireNonNull(leader, "leader");
        return new LeaderEvent(leader.term(), leader);
    }

    /** No node is known to be ACTIVE; {@code term} is the latest term the reporting node knew. */
    public static LeaderEvent noLeader(long term) {
        return new LeaderEvent(term, null);
    }

    public long term() {
        return term;
    }

    /** The ACTIVE, empty for a "no leader" event. */
    public Optional<LeaderInfo> leader() {
        return Optional.ofNullable(leader);
    }

    public boolean hasLeader() {
        return leader != null;
    }

    /** {@code term 7 leader n2 http://127.0.0.12:8080} or {@code term 7 no leader}. */
    @Override
    public String toString() {
        return leader == null
                ? "term " + term + " no leader"
                : "term " + term + " leader " + leader.id() + " " + leader.url();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LeaderEvent e && e.term == term && Objects.equals(e.leader, leader);
    }

    @Override
    public int hashCode() {
        return Objects.hash(term, leader);
    }
}
