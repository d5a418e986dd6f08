package dev.baton.node.raft;

import dev.baton.node.statemachine.Command;
import dev.baton.node.statemachine.CommandCodec;
import dev.baton.node.statemachine.CodecException;
import dev.baton.node.statemachine.KvStateMachine;
import dev.baton.node.statemachine.Result;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Function;
import org.jgroups.raft.StateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts {@link KvStateMachine} to jgroups-raft. jgroups-raft calls {@link #apply} from its single
 * runner thread, in log order, only for committed entries (and for the snapshot read at start-up);
 * {@code apply} must never throw. Other threads read through {@link #read}, which takes the same
 * lock, so they see a state between two applied entries.
 */
final class ReplicatedKv implements StateMachine {

    private static final Logger log = LoggerFactory.getLogger(ReplicatedKv.class);

    private final KvStateMachine machine;
    private final Object lock = new Object();
    private volatile Runnable membersChanged = () -> {}; // told after a member table or snapshot was applied

    ReplicatedKv(KvStateMachine machine) {
        this.machine = machine;
    }

    @Override
    public byte[] apply(byte[] data, int offset, int length, boolean serializeResponse) {
        Result result;
        try {
            Command command = CommandCodec.decodeCommand(data, offset, length);
            synchronized (lock) {
                result = machine.apply(command);
            }
            if (command instanceof Command.SetMembers) {
                membersChanged.run();
            }
        } catch (CodecException e) {
            // the same bytes are refused the same way on every node, so replicas stay identical
            log.error("refusing undecodable log entry ({} bytes): {}", length, e.getMessage());
            result = new Result.Rejected("undecodable command: " + e.getMessage());
        }
        return serializeResponse ? CommandCodec.encode(result) : null;
    }

    @Override
    public void readContentFrom(DataInput in) throws Exception {
        synchronized (lock) {
            machine.readSnapshot(in);
        }
        membersChanged.run();
    }

    /** {@code listener} runs on the applying thread after each member table or snapshot applied: it must only hand the news on. */
    void onMembers(Runnable listener) {
        this.membersChanged = listener;
    }

    @Override
    public void writeContentTo(DataOutput out) throws Exception {
        synchronized (lock) {
            machine.writeSnapshot(out);
        }
    }

    /** The state as of the last applied entry, for {@link BackgroundSnapshot} to write on its own thread. */
    KvStateMachine.Capture capture() throws IOException {
        synchronized (lock) {
            return machine.capture();
        }
    }

    void release(KvStateMachine.Capture capture) {
        synchronized (lock) {
            machine.release(capture);
        }
    }

    /** Runs {@code reader} against the state between two applied entries. */
    <T> T read(Function<KvStateMachine, T> reader) {
        synchronized (lock) {
            return reader.apply(machine);
        }
    }
}
