package dev.baton.node.raft;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.jgroups.Header;

/** A node's storage health as {@link HealthBeacon} announces it: healthy, or the reason it is not. */
public final class HealthHeader extends Header {

    static final short MAGIC_ID = 4304;

    /** Empty when healthy. */
    String fault = "";

    public HealthHeader() {}

    HealthHeader(String fault) {
        this.fault = fault == null ? "" : fault;
    }

    @Override
    public short getMagicId() {
        return MAGIC_ID;
    }

    @Override
    public Supplier<? extends Header> create() {
        return HealthHeader::new;
    }

    @Override
    public int serializedSize() {
        return 2 + fault.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public void writeTo(DataOutput out) throws IOException {
        out.writeUTF(fault);
    }

    @Override
    public void readFrom(DataInput in) throws IOException {
        fault = in.readUTF();
    }

    @Override
    public String toString() {
        return fault.isEmpty() ? "HEALTH(ok)" : "HEALTH(" + fault + ")";
    }
}
