package dev.baton.node.fencing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Lease and promise logic with an injected clock (plain nanos). */
class LeaseTest {

    private static final long MS = 1_000_000L;
    private final Lease lease = new Lease(400 * MS);

    @Test
    void noLeaseUntilAMajorityAcknowledges() {
        long round = lease.startRound(3, 1_000 * MS);
        assertThat(lease.holds(3, 1_001 * MS)).isFalse();
        // 5 members: majority 3 = leader + 2 followers
        assertThat(lease.ack(3, round, "n2", 3)).isFalse();
        assertThat(lease.holds(3, 1_010 * MS)).isFalse();
        assertThat(lease.ack(3, round, "n2", 3)).isFalse(); // the same follower twice counts once
        assertThat(lease.ack(3, round, "n3", 3)).isTrue();
        assertThat(lease.holds(3, 1_010 * MS)).isTrue();
    }

    @Test
    void leaseRunsFromWhenTheRoundWasSentNotWhenAcked() {
        long round = lease.startRound(3, 1_000 * MS);
        lease.ack(3, round, "n2", 2); // ack arrives late, at any time
        assertThat(lease.expiryNanos()).isEqualTo(1_400 * MS);
        assertThat(lease.holds(3, 1_399 * MS)).isTrue();
        assertThat(lease.holds(3, 1_400 * MS)).isFalse();
    }

    @Test
    void renewalExtendsAndAnOlderRoundNeverShortens() {
        long r1 = lease.startRound(3, 1_000 * MS);
        long r2 = lease.startRound(3, 1_100 * MS);
        lease.ack(3, r2, "n2", 2);
        assertThat(lease.expiryNanos()).isEqualTo(1_500 * MS);
        assertThat(lease.ack(3, r1, "n2", 2)).isFalse();
        assertThat(lease.expiryNanos()).isEqualTo(1_500 * MS);
    }

    @Test
    void processResumedAfterAPauseFindsItsLeaseExpired() {
        long round = lease.startRound(3, 1_000 * MS);
        lease.ack(3, round, "n2", 2);
        // SIGSTOP for 5 s: the very first check after SIGCONT must fail
        assertThat(lease.holds(3, 6_000 * MS)).isFalse();
        // an ack of a round sent before the pause does not revive it
        lease.ack(3, round, "n3", 2);
        assertThat(lease.holds(3, 6_000 * MS)).isFalse();
        // only a fresh quorum round does
        long fresh = lease.startRound(3, 6_000 * MS);
        lease.ack(3, fresh, "n2", 2);
        assertThat(lease.holds(3, 6_001 * MS)).isTrue();
    }

    @Test
    void leaseBelongsToOneTerm() {
        long round = lease.startRound(3, 1_000 * MS);
        lease.ack(3, round, "n2", 2);
        assertThat(lease.holds(4, 1_001 * MS)).isFalse();
        lease.startRound(4, 1_002 * MS);
        assertThat(lease.holds(3, 1_003 * MS)).isFalse();
        assertThat(lease.ack(3, round, "n3", 2)).isFalse();
    }

    @Test
    void committedEntryRenewsFromItsSubmitTime() {
        assertThat(lease.committed(5, 2_000 * MS)).isTrue();
        assertThat(lease.holds(5, 2_399 * MS)).isTrue();
        assertThat(lease.holds(5, 2_400 * MS)).isFalse();
        assertThat(lease.committed(4, 2_300 * MS)).isFalse(); // an older term never renews
    }

    @Test
    void nanoTimeWrapAroundIsHandled() {
        long nearMax = Long.MAX_VALUE - 100 * MS;
        long round = lease.startRound(1, nearMax);
        lease.ack(1, round, "n2", 2);
        assertThat(lease.holds(1, nearMax + 200 * MS)).isTrue(); // overflowed, still 200 ms in
        assertThat(lease.holds(1, nearMax + 500 * MS)).isFalse();
    }

    @Test
    void promiseBindsForTheGrantAfterLastContact() {
        Promise p = new Promise(550 * MS);
        assertThat(p.binds(0)).isFalse();
        p.heardFrom("n1", 3, 1_000 * MS);
        assertThat(p.binds(1_549 * MS)).isTrue();
        assertThat(p.remainingNanos(1_500 * MS)).isEqualTo(50 * MS);
        assertThat(p.binds(1_550 * MS)).isFalse();
        p.heardFrom("n1", 3, 1_500 * MS);
        assertThat(p.binds(2_000 * MS)).isTrue();
        p.release();
        assertThat(p.binds(2_000 * MS)).isFalse();
        assertThat(p.leaderId()).isEqualTo("n1");
    }

    @Test
    void promiseOutlastsTheLeaseItBacks() {
        // the leader starts a round at t=1000; the follower receives it at t>=1000 and promises grant from then
        long grant = 550 * MS;
        Promise p = new Promise(grant);
        long round = lease.startRound(3, 1_000 * MS);
        p.heardFrom("n1", 3, 1_000 * MS);
        lease.ack(3, round, "n2", 2);
        for (long t = 1_000 * MS; t < 3_000 * MS; t += MS) {
            if (lease.holds(3, t)) {
                assertThat(p.binds(t)).as("promise at %d ms", t / MS).isTrue();
            }
        }
    }

    @Test
    void surrenderedLeaseCannotBeRenewedInThatTerm() {
        long round = lease.startRound(3, 1_000 * MS);
        lease.ack(3, round, "n2", 2);
        lease.surrender(3);
        assertThat(lease.holds(3, 1_001 * MS)).isFalse();
        assertThat(lease.startRound(3, 1_002 * MS)).isEqualTo(-1);
        assertThat(lease.committed(3, 1_003 * MS)).isFalse();
        assertThat(lease.holds(3, 1_004 * MS)).isFalse();
        // a later term (re-elected) starts afresh
        long next = lease.startRound(4, 2_000 * MS);
        lease.ack(4, next, "n2", 2);
        assertThat(lease.holds(4, 2_001 * MS)).isTrue();
    }

    @Test
    void revokedPromiseIsReleasedAndNotRenewedByThatLeaderInThatTerm() {
        Promise p = new Promise(550 * MS);
        p.heardFrom("n1", 3, 1_000 * MS);
        p.revoke("n1", 3);
        assertThat(p.binds(1_001 * MS)).isFalse();
        p.heardFrom("n1", 3, 1_002 * MS);
        assertThat(p.binds(1_003 * MS)).isFalse();
        p.heardFrom("n2", 4, 1_004 * MS);
        assertThat(p.binds(1_005 * MS)).isTrue();
    }
}
