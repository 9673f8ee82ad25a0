package io.df2redis.flink.record;

import io.df2redis.dragonfly.event.FlowEvent;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link ReplicationRecord} for the keyBy shuffle and for state. Records are
 * immutable, so copies are the record itself.
 */
public final class ReplicationRecordSerializer extends TypeSerializer<ReplicationRecord> {
    private static final long serialVersionUID = 1L;
    public static final ReplicationRecordSerializer INSTANCE = new ReplicationRecordSerializer();
    private static final ReplicationRecord.Kind[] KINDS = ReplicationRecord.Kind.values();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TypeSerializer<ReplicationRecord> duplicate() {
        return this;
    }

    @Override
    public ReplicationRecord createInstance() {
        return null;
    }

    @Override
    public ReplicationRecord copy(ReplicationRecord from) {
        return from;
    }

    @Override
    public ReplicationRecord copy(ReplicationRecord from, ReplicationRecord reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ReplicationRecord r, DataOutputView out) throws IOException {
        out.writeByte(r.kind().ordinal());
        out.writeInt(r.epoch());
        out.writeInt(r.flow());
        out.writeLong(r.seq());
        out.writeShort(r.slot());
        out.writeInt(r.barrierFlows());
        out.writeBoolean(r.clearTarget());
        byte[] key = r.routingKey();
        out.writeInt(key == null ? -1 : key.length);
        if (key != null) {
            out.write(key);
        }
        if (r.event() != null) {
            FlowEventCodec.write(r.event(), out);
        }
    }

    @Override
    public ReplicationRecord deserialize(DataInputView in) throws IOException {
        int k = in.readUnsignedByte();
        if (k >= KINDS.length) {
            throw new IOException("corrupt record: unknown kind " + k);
        }
        ReplicationRecord.Kind kind = KINDS[k];
        int epoch = in.readInt();
        int flow = in.readInt();
        long seq = in.readLong();
        int slot = in.readUnsignedShort();
        int barrierFlows = in.readInt();
        boolean clear = in.readBoolean();
        int keyLength = in.readInt();
        byte[] key = null;
        if (keyLength >= 0) {
            key = new byte[keyLength];
            in.readFully(key);
        }
        FlowEvent event = kind == ReplicationRecord.Kind.EPOCH_RESET ? null : FlowEventCodec.read(in);
        return new ReplicationRecord(epoch, flow, seq, slot, kind, event, key, barrierFlows, clear);
    }

    @Override
    public ReplicationRecord deserialize(ReplicationRecord reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof ReplicationRecordSerializer;
    }

    @Override
    public int hashCode() {
        return ReplicationRecordSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<ReplicationRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1 of the record layout. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ReplicationRecord> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
