package dev.baton.node.raft;

import dev.baton.node.config.Timings;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.View;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.protocols.raft.election.BaseElection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Liveness watchdogs for jgroups-raft 1.1.4's view-driven elections, found necessary by the chaos
 * suite and the calm benchmark (each below says what it repairs). They only ever start an election
 * or report a silent leader as suspected, both of which are always safe in Raft; the followers'
 * promises (see {@link LeaseGuard}) still protect a leader's lease.
 *
 * <p>Threading: {@link #tick} runs on the lease timer thread only; the fields are its own.
 */
final class ElectionWatchdog {

    private static final Logger log = LoggerFactory.getLogger(ElectionWatchdog.class);

    /** What the watchdog reads from, and acts through, the protocol stack. */
    interface Context {
        View view();

        /** When this node last heard from {@code leader} (nanoTime), or 0 if never. */
        long lastHeardNanos(Address leader);

        BaseElection election();

        GMS gms();
    }

    private final RAFT raft;
    private final Context context;
    private final long electionStallNanos;
    private final long leaderSilenceNanos;

    /** @param timings {@code electionStallMs} and {@code leaderSilenceMs} are this watchdog's */
    ElectionWatchdog(RAFT raft, Timings timings, Context context) {
        this.raft = raft;
        this.context = context;
        this.electionStallNanos = TimeUnit.MILLISECONDS.toNanos(timings.electionStallMs());
        this.leaderSilenceNanos = TimeUnit.MILLISECONDS.toNanos(timings.leaderSilenceMs());
        this.lastSuspectNanos = System.nanoTime() - leaderSilenceNanos;
    }

    void tick() {
        kickStalledElection();
        suspectSilentLeader();
    }

    /**
     * Election watchdog. jgroups-raft's ELECTION2 starts an election only on certain view changes,
     * and its pre-vote waits for an answer from every view member: a member that leaves during the
     * pre-vote (seen: a joiner whose first attempt timed out and was replaced) leaves it waiting
     * forever, and later views with an unchanged majority never restart it, so a connected
     * majority stayed without a leader. If this node coordinates a view that holds a majority and
     * no leader has been known for {@code electionStallMs}, it runs the voting round itself.
     * Running an election is always safe in Raft; the followers' promises still protect a lease.
     */
    void kickStalledElection() {
        long now = System.nanoTime();
        View v = context.view();
        Address self = raft.getAddress();
        boolean coordinatesMajority = v != null && self != null && self.equals(v.getCoord()) && v.size() >= raft.majority();
        if (raft.leader() != null || !coordinatesMajority) {
            leaderlessSinceNanos = now;
            return;
        }
        if (now - leaderlessSinceNanos > electionStallNanos) {
            leaderlessSinceNanos = now;
            BaseElection election = context.election();
            if (election != null && !election.isVotingThreadRunning()) {
                log.warn("no leader for {} ms in a view with a majority ({}): starting a voting round",
                        TimeUnit.NANOSECONDS.toMillis(electionStallNanos), v);
                election.runVotingThread();
            }
        }
    }

    /**
     * Silent-leader watchdog. Seen under heavy CPU load: the leader falsely suspected both
     * followers and went on alone in its own view (so Raft demoted it), while the followers' views
     * still held it, so they kept following it and never elected: no ACTIVE for minutes. A
     * follower that has heard nothing from the leader it follows for {@code leaderSilenceMs}
     * (a live leader renews its lease every few hundred ms) reports it to GMS as suspected; the next
     * member in line then installs a view without it and the majority elects. The promise is long
     * over by then, so no lease can still be held.
     */
    void suspectSilentLeader() {
        Address leader = raft.leader();
        long now = System.nanoTime();
        if (leader == null || raft.isLeader()) {
            followingSince = null;
            lastWatchNanos = now;
            return;
        }
        boolean wasPaused = now - lastWatchNanos > TimeUnit.SECONDS.toNanos(1); // e.g. SIGSTOP: silence is ours
        lastWatchNanos = now;
        if (followingSince == null || !followingSince.leader().equals(leader) || wasPaused) {
            followingSince = new Following(leader, now);
        }
        long lastHeard = context.lastHeardNanos(leader);
        long silentSince = Math.max(followingSince.sinceNanos(), lastHeard == 0 ? followingSince.sinceNanos() : lastHeard);
        if (now - silentSince > leaderSilenceNanos && now - lastSuspectNanos > leaderSilenceNanos) {
            lastSuspectNanos = now;
            GMS gms = context.gms();
            if (gms != null) {
                log.warn("nothing from leader {} for {} ms while it is in the view: reporting it as suspected", leader,
                        TimeUnit.NANOSECONDS.toMillis(now - silentSince));
                gms.up(new Event(Event.SUSPECT, Collections.singletonList(leader)));
            }
        }
    }

    private record Following(Address leader, long sinceNanos) {}
    private Following followingSince;
    private long lastWatchNanos = System.nanoTime();
    private long lastSuspectNanos;
    private long leaderlessSinceNanos = System.nanoTime();
}
