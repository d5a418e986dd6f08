package dev.baton.node.raft;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.raft.util.Utils;
import org.jgroups.stack.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash fast path for failure detection, as a JGroups protocol directly below VERIFY_SUSPECT2.
 *
 * <p>VERIFY_SUSPECT2 holds every suspicion for its timeout (150 ms by default) before the view
 * drops the member, because a suspicion from FD_ALL3 may be a false alarm from a busy peer. A
 * crashed peer needs no such grace: FD_SOCK2 suspects it the moment its socket closes, and a
 * {@link PortProbe} can prove it gone. So every suspicion passes up as before, and in parallel
 * the suspect's transport port is probed; if it refuses connections, the suspicion goes straight
 * to the protocol above VERIFY_SUSPECT2 (GMS excludes the member at once). VERIFY_SUSPECT2's own
 * verdict follows later and is ignored by GMS for a member already gone. A paused or cut-off peer
 * does not refuse connections, so its suspicion still waits for verification.
 *
 * <p>Safety does not rest on this: a follower still holds its vote for a leader whose promise
 * binds unless that leader's port refuses connections too ({@link LeaseGuard}).
 */
public final class CrashConfirm extends Protocol {

    private static final Logger log = LoggerFactory.getLogger(CrashConfirm.class);

    static final short PROTOCOL_ID = 4301;

    static {
        ClassConfigurator.addProtocol(PROTOCOL_ID, CrashConfirm.class);
    }

    private final PortProbe probe;
    private ExecutorService prober;

    public CrashConfirm(PortProbe probe) {
        this.probe = probe;
    }

    @Override
    public void start() throws Exception {
        super.start();
        if (!(up_prot instanceof VERIFY_SUSPECT2)) {
            throw new IllegalStateException("CrashConfirm belongs directly below VERIFY_SUSPECT2, found " + up_prot);
        }
        prober = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "baton-crash-probe");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void stop() {
        if (prober != null) {
            prober.shutdownNow();
        }
        super.stop();
    }

    @Override
    public Object up(Event evt) {
        if (evt.getType() == Event.SUSPECT && evt.arg() instanceof Collection<?> suspects && prober != null) {
            List<Address> addresses = new ArrayList<>();
            for (Object s : suspects) {
                if (s instanceof Address a && !a.equals(local_addr) && probe.knows(Utils.extractRaftId(a))) {
                    addresses.add(a);
                }
            }
            if (!addresses.isEmpty()) {
                prober.execute(() -> confirm(addresses));
            }
        }
        return up_prot.up(evt);
    }

    private void confirm(List<Address> suspects) {
        List<Address> gone = new ArrayList<>();
        for (Address a : suspects) {
            if (probe.isGone(Utils.extractRaftId(a))) {
                gone.add(a);
            }
        }
        if (gone.isEmpty()) {
            return;
        }
        // above VERIFY_SUSPECT2 (our up_prot), which would hold the suspicion for its timeout
        Protocol aboveVerification = up_prot.getUpProtocol();
        log.info("{} no longer listen(s) on their transport port: crashed, excluding them without waiting for verification",
                gone.stream().map(Utils::extractRaftId).toList());
        aboveVerification.up(new Event(Event.SUSPECT, gone));
    }
}
