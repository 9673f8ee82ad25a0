package io.df2redis.flink.source.enumerator;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Versioned form of {@link EnumeratorState}. */
public final class EnumeratorStateSerializer implements SimpleVersionedSerializer<EnumeratorState> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(EnumeratorState s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeInt(s.epoch());
        out.writeInt(s.numFlows());
        out.writeBoolean(s.targetPrepared());
        out.writeInt(s.unassignedFlows().size());
        for (int f : s.unassignedFlows()) {
            out.writeInt(f);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public EnumeratorState deserialize(int version, byte[] bytes) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown enumerator state version " + version + " (this build reads " + VERSION + ")");
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        int epoch = in.readInt();
        int flows = in.readInt();
        boolean prepared = in.readBoolean();
        int n = in.readInt();
        Set<Integer> unassigned = new HashSet<>();
        for (int i = 0; i < n; i++) {
            unassigned.add(in.readInt());
        }
        return new EnumeratorState(epoch, flows, prepared, unassigned);
    }
}
