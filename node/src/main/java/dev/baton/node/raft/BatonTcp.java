package dev.baton.node.raft;

import dev.baton.node.peer.MemberDirectory;
import dev.baton.node.peer.PeerRefusals;
import dev.baton.node.peer.Verdict;
import java.io.DataInput;
import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TP;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.stack.IpAddress;
import org.jgroups.stack.MessageProcessingPolicy;
import org.jgroups.util.ExtendedUUID;
import org.jgroups.util.MessageBatch;
import org.jgroups.util.Util;

/**
 * JGroups' TCP transport with one more check under peer TLS: a message is passed up only if the
 * member id it claims (the raft id in its sender's address, which is what votes and acknowledges in
 * Raft) is the member whose connection it arrived on. {@link VerifyingServerSocket} and {@link
 * PeerSocketFactory} have bound each connection to one member by certificate, host and transport
 * address; this binds the messages on it. Without it, a process holding n2's key on n2's host
 * could start with {@code --id n3} (after editing out the start-up check) and count twice in the
 * quorum.
 *
 * <p>How: TP hands every received buffer to this class with the connection's peer address and
 * parses and dispatches it on the same thread, so a thread-local carries the connection to the
 * message processing policy, which is wrapped to drop what does not match. Messages are never
 * relayed for another member in this stack (TCP unicasts; NAKACK2 asks the original sender for
 * retransmissions), so a legitimate message's sender is always its connection's member.
 *
 * <p>Plain stacks use JGroups' {@code TCP}: with no certificates there is nothing to bind to.
 */
public class BatonTcp extends TCP {

    private static final ThreadLocal<Address> ARRIVED_OVER = new ThreadLocal<>();

    /** Installs the check; call before connecting the channel (after the stack's init). */
    void bindMembers(MemberDirectory directory, PeerRefusals refusals) {
        msg_processing_policy = new Binding(msg_processing_policy, directory, refusals);
    }

    @Override
    public void receive(Address sender, byte[] data, int offset, int length) {
        ARRIVED_OVER.set(sender);
        try {
            super.receive(sender, data, offset, length);
        } finally {
            ARRIVED_OVER.remove();
        }
    }

    @Override
    public void receive(Address sender, DataInput in, int length) throws Exception {
        ARRIVED_OVER.set(sender);
        try {
            super.receive(sender, in, length);
        } finally {
            ARRIVED_OVER.remove();
        }
    }

    /** The raft id an address claims, or null. */
    static String raftId(Address address) {
        if (address instanceof ExtendedUUID e) {
            byte[] id = e.get(RAFT.raft_id_key);
            return id == null ? null : Util.bytesToString(id);
        }
        return null;
    }

    private static final class Binding implements MessageProcessingPolicy {
        private final MessageProcessingPolicy inner;
        private final MemberDirectory directory;
        private final PeerRefusals refusals;

        Binding(MessageProcessingPolicy inner, MemberDirectory directory, PeerRefusals refusals) {
            this.inner = inner;
            this.directory = directory;
            this.refusals = refusals;
        }

        private boolean admits(Address src) {
            if (!(ARRIVED_OVER.get() instanceof IpAddress over)) {
                return true; // not from a connection (loopback is handled separately): nothing to bind
            }
            Verdict v = directory.claim(over.getIpAddress(), over.getPort(), raftId(src));
            if (!v.accepted()) {
                refusals.refused(v, over.getIpAddress());
            }
            return v.accepted();
        }

        @Override public void init(TP transport) { inner.init(transport); }
        @Override public void reset() { inner.reset(); }
        @Override public void destroy() { inner.destroy(); }
        @Override public boolean loopback(Message msg, boolean oob) { return inner.loopback(msg, oob); }
        @Override public boolean loopback(MessageBatch batch, boolean oob) { return inner.loopback(batch, oob); }

        @Override
        public boolean process(Message msg, boolean oob) {
            return admits(msg.src()) ? inner.process(msg, oob) : true; // dropped on purpose: handled
        }

        @Override
        public boolean process(MessageBatch batch, boolean oob) {
            return admits(batch.sender()) ? inner.process(batch, oob) : true;
        }
    }
}
