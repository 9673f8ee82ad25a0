package io.df2redis.flink.sink;

import io.df2redis.flink.record.ReplicationRecord;
import io.df2redis.flink.record.ReplicationRecordSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Versioned form of {@link RedisSinkState}. */
public final class RedisSinkStateSerializer implements SimpleVersionedSerializer<RedisSinkState> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(RedisSinkState s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(s.subtask());
        out.writeInt(s.parallelism());
        out.writeInt(s.resetEpoch());
        out.writeInt(s.barrierRecords().size());
        for (ReplicationRecord r : s.barrierRecords()) {
            ReplicationRecordSerializer.INSTANCE.serialize(r, out);
        }
        out.writeInt(s.applierState().length);
        out.write(s.applierState());
        return out.getCopyOfBuffer();
    }

    @Override
    public RedisSinkState deserialize(int version, byte[] bytes) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown Redis sink state version " + version + " (this build reads " + VERSION + ")");
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        int subtask = in.readInt();
        int parallelism = in.readInt();
        int epoch = in.readInt();
        int n = in.readInt();
        List<ReplicationRecord> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            records.add(ReplicationRecordSerializer.INSTANCE.deserialize(in));
        }
        byte[] applier = new byte[in.readInt()];
        in.readFully(applier);
        return new RedisSinkState(subtask, parallelism, epoch, records, applier);
    }
}
