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

    byte type;
    long term;
    long round;

    public LeaseHeader() {}

    LeaseHeader(byte type, long term, long round) {
        this.type = type;
        this.term = term;
        this.round = round;
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
        return 1 + 8 + 8;
    }

    @Override
    public void writeTo(DataOutput out) throws IOException {
        out.writeByte(type);
        out.writeLong(term);
        out.writeLong(round);
    }

    @Override
    public void readFrom(DataInput in) throws IOException {
        type = in.readByte();
        term = in.readLong();
        round = in.readLong();
    }

    @Override
    public String toString() {
        String name = type == PING ? "LEASE-PING" : type == ACK ? "LEASE-ACK" : "LEASE-RELEASE";
        return name + "(term=" + term + ", round=" + round + ")";
    }
}
