package io.df2redis.flink.source.split;

import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Versioned form of {@link FlowSplit} in checkpoints and savepoints. */
public final class FlowSplitSerializer implements SimpleVersionedSerializer<FlowSplit> {
    public static final FlowSplitSerializer INSTANCE = new FlowSplitSerializer();
    /** 2 added the last global command's txid; version 1 is still read (as -1: none). */
    private static final int VERSION = 2;
    private static final FlowSplit.Phase[] PHASES = FlowSplit.Phase.values();

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(FlowSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeInt(split.flow());
        out.writeInt(split.epoch());
        out.writeByte(split.phase().ordinal());
        out.writeLong(split.nextLsn());
        out.writeBoolean(split.masterId() != null);
        if (split.masterId() != null) {
            out.writeUTF(split.masterId());
        }
        out.writeLong(split.lastGlobalTxid());
        return out.getCopyOfBuffer();
    }

    @Override
    public FlowSplit deserialize(int version, byte[] bytes) throws IOException {
        if (version < 1 || version > VERSION) {
            throw new IOException("unknown FlowSplit serializer version " + version + " (this build reads 1.." + VERSION + ")");
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        int flow = in.readInt();
        int epoch = in.readInt();
        int phase = in.readUnsignedByte();
        if (phase >= PHASES.length) {
            throw new IOException("corrupt FlowSplit: phase " + phase);
        }
        long nextLsn = in.readLong();
        String master = in.readBoolean() ? in.readUTF() : null;
        long lastGlobalTxid = version >= 2 ? in.readLong() : -1;
        return new FlowSplit(flow, epoch, PHASES[phase], nextLsn, master, lastGlobalTxid);
    }
}
