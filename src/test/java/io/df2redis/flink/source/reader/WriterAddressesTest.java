package io.df2redis.flink.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.redis.Slots;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

class WriterAddressesTest {
    /** A batch for writer w goes by slotOf(w); its entries' slots must all be routed to w by keyBy(slot). */
    @Test
    void writerOfAgreesWithTheKeyByRouting() {
        for (int writers : new int[] {1, 2, 3, 7, 64}) {
            WriterAddresses a = new WriterAddresses(writers, 1024);
            for (int slot = 0; slot < Slots.COUNT; slot++) {
                int routed = KeyGroupRangeAssignment.assignKeyToParallelOperator(slot, 1024, writers);
                assertThat(a.writerOf(slot)).as("slot %d of %d writers", slot, writers).isEqualTo(routed);
                assertThat(KeyGroupRangeAssignment.assignKeyToParallelOperator(a.slotOf(routed), 1024, writers)).isEqualTo(routed);
            }
        }
    }
}
