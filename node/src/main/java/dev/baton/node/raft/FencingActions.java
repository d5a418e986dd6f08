package dev.baton.node.raft;

import dev.baton.node.fencing.FencingAction;
import dev.baton.node.fencing.FencingEvent;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.EmptyMessage;
import org.jgroups.Message;
import org.jgroups.protocols.raft.RAFT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the fencing core's actions for {@link LeaseGuard}: lease messages to send, a term to
 * adopt, a held vote to deliver, a wake-up or a port probe to schedule. Runs on the lease thread
 * (the core's owner); probes run on the probe thread and report back through {@link Io#answer}.
 */
final class FencingActions {

    private static final Logger log = LoggerFactory.getLogger(LeaseGuard.class); // one logger for the lease's story

    /** How the actions reach the stack and the threads. */
    interface Io {
        void down(Message msg);

        void up(Message msg);

        /** Feed the core a wake-up at {@code atNanos}. */
        void wakeAt(long atNanos);

        /** Run {@code probe} (blocking) at {@code atNanos}, off the lease thread. */
        void probeAt(long atNanos, Runnable probe);

        /** Feed the core a probe's answer. */
        void answer(FencingEvent.ProbeAnswered answer);
    }

    private final RAFT raft;
    private final short protocolId;
    private final Map<String, Address> addresses;
    private final PortProbe ports;
    private final Io io;

    /** @param addresses the last known address of each member id (kept up to date by the protocol) */
    FencingActions(RAFT raft, short protocolId, Map<String, Address> addresses, PortProbe ports, Io io) {
        this.raft = raft;
        this.protocolId = protocolId;
        this.addresses = addresses;
        this.ports = ports;
        this.io = io;
    }

    void carryOut(FencingAction action, FencingEvent cause) {
        if (action instanceof FencingAction.SendPing p) {
            io.down(new EmptyMessage(null).putHeader(protocolId, new LeaseHeader(LeaseHeader.PING, p.term(), p.round()))
                    .setFlag(Message.Flag.OOB).setFlag(Message.TransientFlag.DONT_LOOPBACK));
        } else if (action instanceof FencingAction.SendAck a) {
            if (raft.log() instanceof ChecksummedLog c && !c.health().healthy()) {
                // a node that cannot store entries does not count toward the leader's majority: where
                // no majority can persist, the leader is fenced (no ACTIVE that cannot commit) and
                // every node's status says why
                log.debug("not acknowledging lease round {} of {}: storage fails", a.round(), a.to());
                return;
            }
            send(a.to(), new LeaseHeader(LeaseHeader.ACK, a.term(), a.round()));
        } else if (action instanceof FencingAction.SendStale s) {
            send(s.to(), new LeaseHeader(LeaseHeader.STALE, s.term(), s.staleTerm()));
        } else if (action instanceof FencingAction.SendRelease r) {
            io.down(new EmptyMessage(null).putHeader(protocolId, new LeaseHeader(LeaseHeader.RELEASE, r.term(), 0))
                    .setFlag(Message.TransientFlag.DONT_LOOPBACK));
        } else if (action instanceof FencingAction.SendTransfer t) {
            io.down(new EmptyMessage(null).putHeader(protocolId, new LeaseHeader(LeaseHeader.TRANSFER, t.term(), t.lastIndex(), t.target()))
                    .setFlag(Message.TransientFlag.DONT_LOOPBACK));
        } else if (action instanceof FencingAction.AdoptTerm t) {
            adoptTerm(t);
        } else if (action instanceof FencingAction.DeliverVote d) {
            if (!(cause instanceof FencingEvent.VoteRequested)) {
                log.info("promise ended; delivering the held vote request from {}", d.from());
            }
            io.up((Message) d.vote());
        } else if (action instanceof FencingAction.VoteHeld h) {
            log.info("holding a vote request from {} for {} ms: {}", h.from(), TimeUnit.NANOSECONDS.toMillis(h.forNanos()),
                    h.promisedTo() != null ? "promised to leader " + h.promisedTo() : "this node's own lease, or its start, binds it");
        } else if (action instanceof FencingAction.WakeAt w) {
            io.wakeAt(w.atNanos());
        } else if (action instanceof FencingAction.Probe p) {
            probe(p);
        }
    }

    private void adoptTerm(FencingAction.AdoptTerm t) {
        Address leader = t.leaderId() == null ? null : addresses.get(t.leaderId());
        if (t.leaderId() == null) {
            log.warn("a member is at term {}, this node still led term {}: stepping down to that term", t.term(), raft.currentTerm());
        } else {
            // jgroups-raft sends nothing while idle: a node still in an older term (a leader resumed
            // after a pause, or back from a partition) learns the current term and leader from a round
            log.info("lease round of term {} from {}: adopting it (was term {})", t.term(), t.leaderId(), raft.currentTerm());
        }
        if (t.term() > raft.currentTerm()) {
            raft.setLeaderAndTerm(leader, t.term());
        }
    }

    private void probe(FencingAction.Probe p) {
        if (!ports.knows(p.leaderId())) {
            return; // no port to probe: the promise simply runs out
        }
        io.probeAt(p.atNanos(), () -> {
            boolean gone = ports.isGone(p.leaderId());
            if (gone) {
                log.info("leader {} no longer listens on its transport port: it is gone, releasing the promise", p.leaderId());
            }
            io.answer(new FencingEvent.ProbeAnswered(p.leaderId(), gone));
        });
    }

    private void send(String to, LeaseHeader h) {
        Address dest = addresses.get(to);
        if (dest != null) {
            io.down(new EmptyMessage(dest).putHeader(protocolId, h).setFlag(Message.Flag.OOB));
        }
    }
}
