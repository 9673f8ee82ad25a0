package io.df2redis.flink.source;

import io.df2redis.flink.job.Df2RedisOptions;
import io.df2redis.flink.job.JobSettings;
import io.df2redis.flink.record.ReplicationRecord;
import io.df2redis.flink.record.ReplicationRecordTypeInfo;
import io.df2redis.flink.source.enumerator.DragonflySplitEnumerator;
import io.df2redis.flink.source.enumerator.EnumeratorState;
import io.df2redis.flink.source.enumerator.EnumeratorStateSerializer;
import io.df2redis.flink.source.reader.DragonflySourceReader;
import io.df2redis.flink.source.split.FlowSplit;
import io.df2redis.flink.source.split.FlowSplitSerializer;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A Dragonfly master as a Flink source (FLIP-27): one split per flow, the enumerator runs the
 * replication session, the readers own the flows. Bounded in {@code snapshot} mode (it ends after
 * the stable cut), unbounded in {@code replicate} mode.
 *
 * <pre>{@code
 * DragonflySource source = DragonflySource.builder()
 *     .settings(settings).flows(4).writers(4, 1024).build();
 * }</pre>
 */
public final class DragonflySource
        implements Source<ReplicationRecord, FlowSplit, EnumeratorState>, ResultTypeQueryable<ReplicationRecord> {
    private static final long serialVersionUID = 1L;

    private final DragonflySourceConfig config;

    private DragonflySource(DragonflySourceConfig config) {
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    public DragonflySourceConfig config() {
        return config;
    }

    @Override
    public Boundedness getBoundedness() {
        return config.mode() == Df2RedisOptions.Mode.SNAPSHOT ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<FlowSplit, EnumeratorState> createEnumerator(SplitEnumeratorContext<FlowSplit> ctx) {
        return new DragonflySplitEnumerator(ctx, config, null);
    }

    @Override
    public SplitEnumerator<FlowSplit, EnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<FlowSplit> ctx, EnumeratorState checkpoint) {
        return new DragonflySplitEnumerator(ctx, config, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<FlowSplit> getSplitSerializer() {
        return FlowSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<EnumeratorState> getEnumeratorCheckpointSerializer() {
        return new EnumeratorStateSerializer();
    }

    @Override
    public SourceReader<ReplicationRecord, FlowSplit> createReader(SourceReaderContext ctx) {
        return new DragonflySourceReader(ctx, config);
    }

    @Override
    public TypeInformation<ReplicationRecord> getProducedType() {
        return ReplicationRecordTypeInfo.INSTANCE;
    }

    /** Builder in the style of Flink's connectors. */
    public static final class Builder {
        private JobSettings settings;
        private int flows;
        private int writers;
        private int maxParallelism;

        public Builder settings(JobSettings s) {
            this.settings = s;
            return this;
        }

        /** Number of flows (master shards). */
        public Builder flows(int n) {
            this.flows = n;
            return this;
        }

        /** Writer parallelism and the job's pinned max parallelism (where keyBy(slot) sends what). */
        public Builder writers(int parallelism, int maxParallelism) {
            this.writers = parallelism;
            this.maxParallelism = maxParallelism;
            return this;
        }

        public DragonflySource build() {
            Objects.requireNonNull(settings, "settings");
            if (flows <= 0) {
                throw new IllegalArgumentException("flows must be ≥ 1");
            }
            if (writers <= 0 || maxParallelism < writers) {
                throw new IllegalArgumentException("writers must be ≥ 1 and ≤ max parallelism");
            }
            return new DragonflySource(new DragonflySourceConfig(settings, flows, writers, maxParallelism));
        }
    }
}
