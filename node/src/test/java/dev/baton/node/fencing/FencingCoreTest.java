package dev.baton.node.fencing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.node.fencing.FencingAction.AdoptTerm;
import dev.baton.node.fencing.FencingAction.DeliverVote;
import dev.baton.node.fencing.FencingAction.Probe;
import dev.baton.node.fencing.FencingAction.SendAck;
import dev.baton.node.fencing.FencingAction.SendPing;
import dev.baton.node.fencing.FencingAction.SendStale;
import dev.baton.node.fencing.FencingAction.VoteHeld;
import dev.baton.node.fencing.FencingAction.WakeAt;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Scripted scenarios of one node's {@link FencingCore}, each named for the sentence of the Raft
 * dissertation (Ongaro 2014) it implements: §3.3/§3.4 (terms and votes, as §5.1/§5.2 of the
 * paper), §4.2.3 (a server that heard from a current leader within the minimum election timeout
 * does not grant its vote) and §6.4.1 (the lease: once a majority acknowledged its heartbeats, the
 * leader assumes no other server becomes leader for about an election timeout). Time is plain
 * nanos; the production timings (lease 400, renew 100, grant 550, probe every 50 ms).
 */
class FencingCoreTest {

    private static final long MS = 1_000_000L;
    private static final FencingTiming TIMING = new FencingTiming(400 * MS, 100 * MS, 550 * MS, 50 * MS, 3_000 * MS);
    private static final Object VOTE = "vote request of n3 for term 4";

    /** Running for a minute already: past the grant that follows a start (see freshCoreHoldsVotesForTheGrant). */
    private final FencingCore core = runningSince(-60_000 * MS);

    private static FencingCore runningSince(long startNanos) {
        FencingCore c = new FencingCore(TIMING);
        c.on(new FencingEvent.Tick(new RaftFacts("n2", 0, null, false, 2)), startNanos);
        return c;
    }

    private static RaftFacts follower(String self, long term, String leader) {
        return new RaftFacts(self, term, leader, false, 2);
    }

    private static RaftFacts leader(String self, long term) {
        return new RaftFacts(self, term, self, true, 2);
    }

    @Test
    @DisplayName("§4.2.3: a follower that heard from its leader within the grant holds a vote request back")
    void followerHoldsAVoteWhileItsPromiseBinds() {
        assertThat(core.on(new FencingEvent.PingReceived("n1", 3, 1, follower("n2", 3, "n1")), 0))
                .containsExactly(new SendAck("n1", 3, 1));

        List<FencingAction> held = core.on(new FencingEvent.VoteRequested(VOTE, "n3"), 100 * MS);

        assertThat(held).containsExactly(new VoteHeld("n3", "n1", 450 * MS), new WakeAt(550 * MS), new Probe("n1", 100 * MS));
        assertThat(core.on(new FencingEvent.Wake(), 549 * MS)).isEmpty();
        assertThat(core.on(new FencingEvent.Wake(), 550 * MS)).containsExactly(new DeliverVote(VOTE, "n3"));
    }

    @Test
    @DisplayName("§4.2.3: a follower that has not heard from a leader within the grant passes the vote request on at once")
    void followerWithoutABindingPromiseVotes() {
        core.on(new FencingEvent.PingReceived("n1", 3, 1, follower("n2", 3, "n1")), 0);

        assertThat(core.on(new FencingEvent.VoteRequested(VOTE, "n3"), 551 * MS)).containsExactly(new DeliverVote(VOTE, "n3"));
    }

    @Test
    @DisplayName("crash fast path: a crashed leader's port refusing connections releases the promise at once")
    void refusedProbeReleasesThePromise() {
        core.on(new FencingEvent.PingReceived("n1", 3, 1, follower("n2", 3, "n1")), 0);
        core.on(new FencingEvent.VoteRequested(VOTE, "n3"), 10 * MS);

        assertThat(core.on(new FencingEvent.ProbeAnswered("n1", false), 20 * MS)).containsExactly(new Probe("n1", 70 * MS));
        assertThat(core.on(new FencingEvent.ProbeAnswered("n1", true), 70 * MS)).containsExactly(new DeliverVote(VOTE, "n3"));
        assertThat(core.view().promiseBinds(71 * MS)).isFalse();
    }

    @Test
    @DisplayName("§3.3: a round of an older term is answered with the current term, and neither acknowledged nor promised")
    void staleRoundIsAnsweredWithTheCurrentTerm() {
        List<FencingAction> out = core.on(new FencingEvent.PingReceived("n1", 2, 7, follower("n2", 3, "n3")), 0);

        assertThat(out).containsExactly(new SendStale("n1", 3, 2));
        assertThat(core.on(new FencingEvent.VoteRequested(VOTE, "n3"), MS)).containsExactly(new DeliverVote(VOTE, "n3"));
    }

    @Test
    @DisplayName("§3.3: a leader told of a newer term adopts it, with no leader known")
    void staleAnswerMakesTheLeaderAdoptTheNewerTerm() {
        assertThat(core.on(new FencingEvent.StaleReceived(5, leader("n1", 3)), 0)).containsExactly(new AdoptTerm(null, 5));
        assertThat(core.on(new FencingEvent.StaleReceived(3, leader("n1", 3)), 0)).isEmpty();
    }

    @Test
    @DisplayName("§3.3: a round of a newer term is adopted, with its sender as the leader, and acknowledged")
    void newerRoundIsAdoptedAndAcknowledged() {
        List<FencingAction> out = core.on(new FencingEvent.PingReceived("n3", 5, 1, follower("n2", 3, "n1")), 0);

        assertThat(out).containsExactly(new AdoptTerm("n3", 5), new SendAck("n3", 5, 1));
        assertThat(core.view().sinceHeardFrom("n3", 5, 10 * MS)).isEqualTo(10 * MS);
    }

    @Test
    @DisplayName("§6.4.1: a leader acts only while a majority acknowledged a round it started less than the lease ago")
    void leaseRunsFromTheRoundAMajorityAcknowledged() {
        List<FencingAction> tick = core.on(new FencingEvent.Tick(leader("n1", 3)), 1_000 * MS);
        assertThat(tick).containsExactly(new SendPing(3, 1));
        assertThat(core.view().leaseHolds(3, 1_001 * MS)).isFalse();

        core.on(new FencingEvent.AckReceived("n2", 3, 1, leader("n1", 3)), 1_090 * MS);

        assertThat(core.view().leaseHolds(3, 1_399 * MS)).isTrue();
        assertThat(core.view().leaseHolds(3, 1_400 * MS)).isFalse();
        assertThat(core.view().leaseHolds(4, 1_100 * MS)).isFalse();
    }

    @Test
    @DisplayName("§6.4.1: in a one-member cluster the leader alone is the majority: each round it starts holds the lease")
    void aLoneLeaderHoldsItsLeaseFromEachRound() {
        RaftFacts alone = new RaftFacts("n1", 3, "n1", true, 1);
        assertThat(core.on(new FencingEvent.Tick(alone), 1_000 * MS)).containsExactly(new SendPing(3, 1));

        assertThat(core.view().leaseHolds(3, 1_399 * MS)).isTrue();
        assertThat(core.view().leaseHolds(3, 1_400 * MS)).isFalse();
        core.on(new FencingEvent.Tick(alone), 1_100 * MS);
        assertThat(core.view().leaseHolds(3, 1_499 * MS)).isTrue();
    }

    @Test
    @DisplayName("§6.4.1: a leader counts itself in its lease's majority, so it too grants no vote while the lease holds")
    void leaderHoldsAVoteWhileItsLeaseHolds() {
        core.on(new FencingEvent.Tick(leader("n1", 3)), 0);
        core.on(new FencingEvent.AckReceived("n2", 3, 1, leader("n1", 3)), 5 * MS);

        // n3 (cut off, now back) asks for term 4: n1 and n3 alone would make a majority of three
        List<FencingAction> out = core.on(new FencingEvent.VoteRequested(VOTE, "n3"), 100 * MS);

        assertThat(out).noneMatch(a -> a instanceof DeliverVote);
        assertThat(out).noneMatch(a -> a instanceof Probe); // nothing to probe: the lease is its own
        assertThat(out).contains(new WakeAt(400 * MS));
        assertThat(core.on(new FencingEvent.Wake(), 400 * MS)).containsExactly(new DeliverVote(VOTE, "n3"));
    }

    @Test
    @DisplayName("§4.2.3: a process that just started may have promised before a crash it forgets, so it holds vote requests for the grant")
    void freshCoreHoldsVotesForTheGrant() {
        FencingCore fresh = runningSince(1_000 * MS); // the adapter's first event, at start

        List<FencingAction> out = fresh.on(new FencingEvent.VoteRequested(VOTE, "n3"), 1_100 * MS);

        assertThat(out).noneMatch(a -> a instanceof DeliverVote);
        assertThat(out).noneMatch(a -> a instanceof Probe); // no leader known to probe
        assertThat(out).contains(new WakeAt(1_550 * MS));
        assertThat(fresh.on(new FencingEvent.Wake(), 1_549 * MS)).isEmpty();
        assertThat(fresh.on(new FencingEvent.Wake(), 1_550 * MS)).containsExactly(new DeliverVote(VOTE, "n3"));
    }

    @Test
    @DisplayName("§3.4: only the newest vote request is kept while held; it is delivered once the promise ends")
    void onlyTheNewestHeldVoteIsDelivered() {
        core.on(new FencingEvent.PingReceived("n1", 3, 1, follower("n2", 3, "n1")), 0);
        core.on(new FencingEvent.VoteRequested("older", "n3"), 10 * MS);
        core.on(new FencingEvent.VoteRequested("newer", "n3"), 20 * MS);

        assertThat(core.on(new FencingEvent.Tick(follower("n2", 3, "n1")), 600 * MS)).containsExactly(new DeliverVote("newer", "n3"));
        assertThat(core.on(new FencingEvent.Wake(), 610 * MS)).isEmpty();
    }

    @Test
    @DisplayName("a round from a member this node does not follow in the term is not acknowledged and starts no promise")
    void roundFromAnotherMemberIsIgnored() {
        assertThat(core.on(new FencingEvent.PingReceived("n3", 3, 1, follower("n2", 3, "n1")), 0)).isEmpty();
        assertThat(core.view().promiseBinds(MS)).isFalse();
    }

    @Test
    @DisplayName("a leader that gave its term up releases the held vote, and its later rounds of that term bind no one")
    void releaseEndsThePromiseForTheTerm() {
        core.on(new FencingEvent.PingReceived("n1", 3, 1, follower("n2", 3, "n1")), 0);
        core.on(new FencingEvent.VoteRequested(VOTE, "n3"), 10 * MS);

        assertThat(core.on(new FencingEvent.ReleaseReceived("n1", 3), 20 * MS)).containsExactly(new DeliverVote(VOTE, "n3"));
        assertThat(core.on(new FencingEvent.PingReceived("n1", 3, 2, follower("n2", 3, "n1")), 30 * MS)).isEmpty();
        assertThat(core.view().promiseBinds(31 * MS)).isFalse();
    }

    @Test
    @DisplayName("switchover: a follower other than the target refuses the old leader's entries beyond the switch point")
    void switchoverHoldsOtherFollowersAtThePoint() {
        RaftFacts n2 = follower("n2", 3, "n1");
        core.on(new FencingEvent.PingReceived("n1", 3, 1, n2), 0);

        core.on(new FencingEvent.TransferReceived("n1", 3, 42, "n3", n2), 10 * MS);

        FencingView v = core.view();
        assertThat(v.promiseBinds(11 * MS)).isFalse(); // the old leader surrendered its lease first
        assertThat(v.beyondTransferPoint("n1", 3, 3, 43, 11 * MS)).isTrue();
        assertThat(v.beyondTransferPoint("n1", 3, 3, 42, 11 * MS)).isFalse();
        assertThat(v.beyondTransferPoint("n1", 3, 4, 43, 11 * MS)).isFalse(); // a newer term ends the hold
        assertThat(v.beyondTransferPoint("n1", 3, 3, 43, 3_011 * MS)).isFalse(); // and so does its timeout
    }
}
