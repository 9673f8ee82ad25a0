package io.df2redis.flink.source.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Split state round-trips, and state written by the previous version (1) is still read. */
class FlowSplitSerializerTest {
    private final FlowSplitSerializer serializer = FlowSplitSerializer.INSTANCE;

    @Test
    void roundTrips() throws IOException {
        for (FlowSplit s : new FlowSplit[] {FlowSplit.fresh(3), new FlowSplit(1, 7, FlowSplit.Phase.STABLE, 12345, "abc", 99),
            new FlowSplit(0, 2, FlowSplit.Phase.FULL_SYNC, -1, null, -1)}) {
            assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(s))).isEqualTo(s);
        }
    }

    @Test
    void readsVersionOneWithoutTheLastGlobalCommand() throws IOException {
        DataOutputSerializer v1 = new DataOutputSerializer(64);
        v1.writeInt(1);
        v1.writeInt(4);
        v1.writeByte(FlowSplit.Phase.STABLE.ordinal());
        v1.writeLong(777);
        v1.writeBoolean(true);
        v1.writeUTF("master-1");
        FlowSplit s = serializer.deserialize(1, v1.getCopyOfBuffer());
        assertThat(s).isEqualTo(new FlowSplit(1, 4, FlowSplit.Phase.STABLE, 777, "master-1", -1));
        assertThat(serializer.getVersion()).isEqualTo(2);
    }

    @Test
    void anUnknownVersionIsRefusedNamingIt() {
        assertThatThrownBy(() -> serializer.deserialize(9, new byte[0])).hasMessageContaining("version 9");
    }
}
