/**
 * Deterministic simulation of the fencing core: N nodes (3 or 5), each with the real {@link
 * dev.baton.node.fencing.FencingCore}, {@link dev.baton.node.role.RolePolicy} and {@link
 * dev.baton.node.role.RoleTracker}, around a small Raft election model, on a simulated network
 * with one drifting clock per node, under random faults; everything follows from one seed.
 *
 * <h2>Pieces</h2>
 *
 * <ul>
 *   <li>{@link dev.baton.node.fencing.sim.EventQueue}: the discrete-event scheduler (true time,
 *       ties in scheduling order).
 *   <li>{@link dev.baton.node.fencing.sim.SimClock}: a node's monotonic clock, rate error up to
 *       +-5% by default, any origin (some near {@code Long.MAX_VALUE}); it keeps running while the
 *       process is paused, so the process sees it jump.
 *   <li>{@link dev.baton.node.fencing.sim.SimNetwork}: delay (random within bounds, so messages
 *       overtake each other), loss, partitions (iptables DROP: nothing is refused).
 *   <li>{@link dev.baton.node.fencing.sim.SimProcess}: run, pause (SIGSTOP: inputs queue and fire
 *       late at the resume), crash (inputs lost; restart keeps term, vote and log only).
 *   <li>{@link dev.baton.node.fencing.sim.SimRaft}, {@link dev.baton.node.fencing.sim.ElectionTimer}:
 *       terms, one persisted vote per term, up-to-date check on (last term, last index), leader's
 *       no-op before readyTerm; an election starts after 750 ms without the leader (FD_ALL3 600 ms
 *       + VERIFY_SUSPECT2 150 ms), soon after a crashed leader's socket closes (FD_SOCK2), or when
 *       a switchover asks; a candidate that did not win retries after 150-450 ms.
 *   <li>{@link dev.baton.node.fencing.sim.SimNode}: the adapter (LeaseGuard's and RaftConsensus's
 *       part): messages and timers to fencing events, actions to messages, timers and Raft calls;
 *       the role after every input. {@link dev.baton.node.fencing.sim.SimSwitchover}: a planned
 *       switchover's steps.
 *   <li>{@link dev.baton.node.fencing.sim.FaultPlan}: 1-5 overlapping faults per schedule (crash
 *       and restart after 20 ms-3 s, pause, partition, lossy and slow network, switchover, SIGTERM
 *       leave), then everything heals.
 *   <li>{@link dev.baton.node.fencing.sim.InvariantChecker}: one ACTIVE at a time; no lease held
 *       while another node was elected to a newer term; legal role transitions; one ACTIVE within
 *       3 s after the last fault healed.
 * </ul>
 *
 * <h2>What the model leaves out of jgroups-raft 1.1.4</h2>
 *
 * Elections there are run by the view coordinator (ELECTION2, with a pre-vote and Baton's
 * PreVotePolicy) after a view change, and pick the voter with the longest log; here every node
 * whose failure detector gave up runs a classic Raft candidacy (its own vote, too, passes through
 * its core, as the coordinator's looped-back multicast VoteRequest passes through LeaseGuard).
 * Views, merges and NO_DUPES are reduced to a leader resending its log to a member that
 * (re)joined. The log is its last entry only (no commands, commit index, snapshots or log
 * matching). Role derivation has no lag. The ElectionWatchdog and CrashConfirm are not modelled.
 *
 * <h2>Running it</h2>
 *
 * {@code SimulationTest} runs seeds 0-9,999 in the default build (even seeds 3 nodes, odd 5);
 * {@code -Dsim.schedules=1000000} for a long run, {@code -Dsim.firstSeed=S} to start elsewhere,
 * {@code -Dsim.seed=S} to replay one with its trace. {@code BrokenRulesTest} breaks a rule on
 * purpose and asserts the violation is named; {@code SimulationRegressionTest} keeps the seeds that
 * found bugs.
 */
package dev.baton.node.fencing.sim;
