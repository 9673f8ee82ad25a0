package io.df2redis.flink.sink;

import io.df2redis.flink.job.JobSettings;
import io.df2redis.flink.record.ReplicationRecord;
import java.io.IOException;
import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Redis or Redis Cluster as a Flink sink (Sink V2): each writer subtask translates the records of
 * its slots, in arrival order, into Redis commands and writes them through pipelined connections;
 * it flushes before every checkpoint barrier (at-least-once), and keeps what it must hold across a
 * checkpoint (records behind a global command, parked slots of a cross-slot move) in writer state.
 */
public final class RedisSink implements Sink<ReplicationRecord>, SupportsWriterState<ReplicationRecord, RedisSinkState> {
    private static final long serialVersionUID = 1L;

    /** What a writer subtask needs. */
    public record Config(JobSettings settings, int parallelism, int maxParallelism) implements Serializable {}

    private final Config config;

    private RedisSink(Config config) {
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public StatefulSinkWriter<ReplicationRecord, RedisSinkState> createWriter(WriterInitContext context) throws IOException {
        return new RedisSinkWriter(context, config, List.of());
    }

    @Override
    public StatefulSinkWriter<ReplicationRecord, RedisSinkState> restoreWriter(
            WriterInitContext context, Collection<RedisSinkState> recoveredState) throws IOException {
        return new RedisSinkWriter(context, config, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<RedisSinkState> getWriterStateSerializer() {
        return new RedisSinkStateSerializer();
    }

    /** Builder in the style of Flink's connectors. */
    public static final class Builder {
        private JobSettings settings;
        private int parallelism;
        private int maxParallelism;

        public Builder settings(JobSettings s) {
            this.settings = s;
            return this;
        }

        /** Writer parallelism and the job's pinned max parallelism (which slots a subtask owns). */
        public Builder writers(int parallelism, int maxParallelism) {
            this.parallelism = parallelism;
            this.maxParallelism = maxParallelism;
            return this;
        }

        public RedisSink build() {
            Objects.requireNonNull(settings, "settings");
            if (parallelism <= 0 || maxParallelism < parallelism) {
                throw new IllegalArgumentException("writer parallelism must be ≥ 1 and ≤ max parallelism");
            }
            return new RedisSink(new Config(settings, parallelism, maxParallelism));
        }
    }
}
