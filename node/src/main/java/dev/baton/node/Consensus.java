package dev.baton.node;

import dev.baton.node.role.RoleListener;
import dev.baton.node.role.RoleState;
import dev.baton.node.role.RoleView;
import dev.baton.node.statemachine.ClusterControl;
import dev.baton.node.statemachine.Command;
import dev.baton.node.statemachine.Result;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The replicated log as the rest of the node sees it. The only implementation lives in {@code
 * dev.baton.node.raft}, the one package that knows JGroups.
 */
public interface Consensus extends AutoCloseable {

    /**
     * Appends {@code command} to the log on this node, which must be the leader; the future completes
     * with the state machine's answer once the entry is committed by a majority and applied here. It
     * fails with {@link NotLeaderException} if this node is not (or stops being) the leader, and
     * never completes on its own if the leader can't reach a majority: callers set a timeout.
     */
    CompletableFuture<Result> submit(Command command);

    /** This node's role, term and known leader. Readable from any thread. */
    default RoleState role() {
        return view().state();
    }

    /**
     * What this node knows about leadership now (role, term, leader, whether the leader is live):
     * the one view every answer of the node is made from. Readable from any thread; an ACTIVE whose
     * lease ran out since the role thread last looked is already FENCED here.
     */
    RoleView view();

    /** Adds a listener for every change of {@link #view()} (role thread, in order, after role listeners). */
    void addViewListener(Consumer<RoleView> listener);

    /** Adds a listener for role transitions (see {@link RoleListener} for the threading contract). */
    void addRoleListener(RoleListener listener);

    long commitIndex();

    long appliedIndex();

    /**
     * A linearizable GET or LIST without a log round (Raft dissertation §6.4.1): answered from this
     * node's state if, both before and after reading it, this node is the ACTIVE of {@code term} and
     * holds its lease. Then no other node can be ACTIVE, or have committed anything, and this one has
     * applied its term's no-op and every write it acknowledged. Empty when the lease cannot vouch
     * for the answer (the caller goes through the log). Assumes clocks drift less than the lease
     * margin, as the single-ACTIVE guarantee does.
     */
    java.util.Optional<Result> leaseRead(Command query, long term);

    /**
     * Answers a GET or LIST from this node's replica without going through the log (a stale read:
     * it may miss writes committed after this node last heard from the leader).
     */
    Result readLocal(Command query);

    /** 0 on the ACTIVE; on others the ms since they last heard from the leader, or -1 if no leader is known. */
    long leaderContactAgeMs();

    /**
     * The highest commit index this node knows of: its own on the leader, on a follower the
     * leader's as last heard (higher than {@link #appliedIndex()} while this node lags behind).
     */
    long leaderCommitIndex();

    /**
     * How old this node's answers may be, in ms: 0 on the ACTIVE; on others the longer of the time
     * since they last heard from the leader and the time they have lagged behind the leader's
     * commit index; -1 if no leader is known. A follower that cannot store or apply what the leader
     * sends thus reports a growing staleness, not the age of the last heartbeat.
     */
    long stalenessMs();

    /**
     * Ms left of the lease this node holds as leader of its current term, 0 when it ran out; -1 if
     * this node does not lead (or never got its lease acknowledged in this term).
     */
    default long leaseRemainingMs() {
        return -1;
    }

    /**
     * On the leader: entries of its log each follower (by member id) has not acknowledged yet;
     * empty on any other node.
     */
    default java.util.Map<String, Long> followerLagEntries() {
        return java.util.Map.of();
    }

    /**
     * Ms since this node last heard each other member's health beacon (sent every beacon interval,
     * so a growing age means a silent member); a member never heard from is absent.
     */
    default java.util.Map<String, Long> peerHeartbeatAgeMs() {
        return java.util.Map.of();
    }

    /**
     * Peer connections and messages refused since start, by reason ({@code Refusal} name, lower
     * case); null when peer TLS is off (no peer is checked then).
     */
    default java.util.Map<String, Long> peerRefusals() {
        return null;
    }
    /** The id of the cluster this node's data belongs to (see {@code raft.ClusterId}). */
    default String clusterId() {
        return "default";
    }

    /**
     * On the leader: the state machine's content at an applied index at or after a barrier through
     * the log, i.e. including every write acknowledged before the call (linearizable). Fails with
     * {@link NotLeaderException} on any other node.
     */
    default CompletableFuture<StateExport> exportState() {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("no state export"));
    }

    /** The state machine's content ({@code KvStateMachine.writeSnapshot}) as of log entry {@code index} of {@code term}. */
    record StateExport(long index, long term, byte[] content) {}

    /** Up to {@code limit} of the newest leadership terms as applied on this node, oldest first. */
    History history(int limit);

    /** The leadership history of this node's replica as of {@code appliedIndex}. */
    record History(List<dev.baton.node.statemachine.TermRecord> terms, long appliedIndex) {}

    /** The replicated operator settings as applied on this node. */
    ClusterControl control();

    /** Global revision of the local state machine. */
    long revision();

    /** Every configured member with whether it is in this node's current group view. */
    List<MemberState> members();

    /**
     * A configured member, whether this node can reach it right now, and the storage fault it last
     * reported (this node's own for itself), or null.
     */
    record MemberState(String id, boolean connected, String fault) {}

    /** The member table as this node last applied it (the configured members before the first change). */
    default List<dev.baton.node.statemachine.ClusterMember> memberTable() {
        return List.of();
    }

    /** What the last applied membership change was ("add n4", ...); empty before the first. */
    default String lastMemberChange() {
        return "";
    }

    /** ACTIVE only: adds a joining member (a learner until it has caught up); completes once committed. */
    default CompletableFuture<List<dev.baton.node.statemachine.ClusterMember>> addMember(dev.baton.node.config.MemberSpec spec) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("membership changes"));
    }

    /**
     * ACTIVE only: removes member {@code id} from the voters and the table; completes once
     * committed. Asked to remove itself, the ACTIVE hands over first and fails with {@link
     * NotLeaderException}: the new leader removes it.
     */
    default CompletableFuture<List<dev.baton.node.statemachine.ClusterMember>> removeMember(String id) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("membership changes"));
    }

    /** {@code callback} is told (once, with the reason) when this node finds itself removed from the member table. */
    default void onRemoved(java.util.function.Consumer<String> callback) {}

    /**
     * If this node leads: surrender the lease (no longer ACTIVE from now on; listeners have been
     * told when this returns). Returns whether it led.
     */
    boolean stepDown();

    /**
     * After {@link #stepDown()}: hand the surrendered term to the most caught-up follower (the same
     * plan as {@link #transfer}, not pre-approved). Completes when it leads; on failure, call {@link
     * #releaseFollowers()}.
     */
    CompletableFuture<Transfer> handOver();

    /** After {@link #stepDown()}: tell the followers, so they elect a successor without waiting for their promises. */
    void releaseFollowers();

    /**
     * Planned switchover: hands leadership to {@code target} (null: the preferred leader if caught
     * up, else the most caught-up follower). Completes when the target leads a higher term; fails
     * with {@link NotLeaderException}, {@link IllegalArgumentException} (bad target) or {@link
     * TransferFailedException}.
     */
    CompletableFuture<Transfer> transfer(String target);

    /** A completed switchover. */
    record Transfer(String from, String to, long fromTerm, long term) {}

    @Override
    void close();
}
