package dev.baton.node.raft;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Supplier;
import org.jgroups.Header;

/** A lease round from the leader (PING) or a follower's acknowledgement of it (ACK). */
public final class LeaseHeader extends Header {

    static final short MAGIC_ID = 4301;
    static final byte PING = 1;
    static final byte ACK = 2;
    /** The leader gave up its lease for this term (stepping down): followers release their promise. */
    static final byte RELEASE = 3;
    /**
     * A planned switchover of {@code term} to {@code target}: followers other than the target
     * accept no entry beyond {@code round} (the leader's last index) from this leader in this term,
     * so the target alone gets the hand-over entry and has the longest log in the next election.
     */
    static final byte TRANSFER = 4;
    /** Asks the view coordinator to run an election now (a planned switchover). */
    static final byte START_ELECTION = 5;
    /** Answer to a lease round of an older term: {@code term} is the sender's current term. */
    static final byte STALE = 6;

    byte type;
    long term;
    long round;
    String target = "";

    public LeaseHeader() {}

    LeaseHeader(byte type, long term, long round) {
        this(type, term, round, "");
    }

    LeaseHeader(byte type, long term, long round, String target) {
        this.type = type;
        this.term = term;
        this.round = round;
        this.target = target;
    }

    @Override
    public short getMagicId() {
        return MAGIC_ID;
    }

    @Override
    public Supplier<? extends Header> create() {
        return LeaseHeader::new;
    }

    @Override
    public int serializedSize() {
        return 1 + 8 + 8 + 2 + target.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    @Override
    public void writeTo(DataOutput out) throws IOException {
        out.writeByte(type);
        out.writeLong(term);
        out.writeLong(round);
        out.writeUTF(target);
    }

    @Override
    public void readFrom(DataInput in) throws IOException {
        type = in.readByte();
        term = in.readLong();
        round = in.readLong();
        target = in.readUTF();
    }

    @Override
    public String toString() {
        String name = switch (type) {
            case PING -> "LEASE-PING";
            case ACK -> "LEASE-ACK";
            case RELEASE -> "LEASE-RELEASE";
            case TRANSFER -> "TRANSFER(" + target + ")";
            case STALE -> "STALE";
            default -> "START-ELECTION";
        };
        return name + "(term=" + term + ", round=" + round + ")";
    }
}
