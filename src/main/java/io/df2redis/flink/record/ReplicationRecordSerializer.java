package io.df2redis.flink.record;

import io.df2redis.dragonfly.event.FlowEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link ReplicationRecord} for the keyBy shuffle and for state. Records are
 * immutable, so copies are the record itself.
 *
 * <p>A {@link ReplicationRecord.Kind#BATCH} record's entries are written as one length-prefixed
 * block: the reading side copies it out of the network buffers in one piece and decodes the
 * entries from that array, instead of many small reads across buffer boundaries. (Records of the
 * other kinds keep the layout of version 1; a BATCH is new, so older state reads unchanged.)
 */
public final class ReplicationRecordSerializer extends TypeSerializer<ReplicationRecord> {
    private static final long serialVersionUID = 1L;
    public static final ReplicationRecordSerializer INSTANCE = new ReplicationRecordSerializer();
    private static final ReplicationRecord.Kind[] KINDS = ReplicationRecord.Kind.values();
    /** Per thread: a batch's block is encoded here first, to write its length before it. */
    private static final ThreadLocal<DataOutputSerializer> BLOCK = ThreadLocal.withInitial(() -> new DataOutputSerializer(64 * 1024));

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
        if (r.kind() == ReplicationRecord.Kind.BATCH) {
            DataOutputSerializer block = BLOCK.get();
            block.clear();
            for (FlowEvent e : r.batch()) {
                FlowEventCodec.write(e, block);
            }
            out.writeInt(r.batch().size());
            out.writeInt(block.length());
            out.write(block.getSharedBuffer(), 0, block.length());
            if (block.getSharedBuffer().length > 4 << 20) {
                BLOCK.remove(); // a batch of big parts: do not keep its buffer
            }
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
        if (kind == ReplicationRecord.Kind.BATCH) {
            int n = in.readInt();
            int bytes = in.readInt();
            if (n <= 0 || bytes < 0) {
                throw new IOException("corrupt record: a batch of " + n + " entries in " + bytes + " bytes");
            }
            byte[] block = new byte[bytes];
            in.readFully(block);
            DataInputDeserializer entries = new DataInputDeserializer(block);
            List<FlowEvent> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(FlowEventCodec.read(entries));
            }
            return ReplicationRecord.batch(epoch, flow, seq, slot, batch);
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
