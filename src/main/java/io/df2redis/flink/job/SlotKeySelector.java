package io.df2redis.flink.job;

import io.df2redis.flink.record.ReplicationRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;

/** {@code keyBy(slot)}: a Redis Cluster hash slot always goes to the same writer subtask. */
public final class SlotKeySelector implements KeySelector<ReplicationRecord, Integer>, ResultTypeQueryable<Integer> {
    private static final long serialVersionUID = 1L;

    @Override
    public Integer getKey(ReplicationRecord record) {
        return record.slot();
    }

    @Override
    public TypeInformation<Integer> getProducedType() {
        return Types.INT;
    }
}
