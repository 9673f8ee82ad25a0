package io.df2redis.flink.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.flink.record.ReplicationRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WriterBarriersTest {

    /** Records what the barrier asks for, as text, and keeps a tiny model of one Redis. */
    static final class Log implements WriterBarriers.Actions {
        final List<String> actions = new ArrayList<>();
        final java.util.Map<String, String> model = new java.util.TreeMap<>();

        @Override
        public void apply(ReplicationRecord r) {
            FlowEvent.JournalCommand c = (FlowEvent.JournalCommand) r.event();
            String key = new String(c.args().get(1), StandardCharsets.UTF_8);
            String value = new String(c.args().get(2), StandardCharsets.UTF_8);
            model.put(key, value);
            actions.add("apply " + key + "=" + value);
        }

        @Override
        public void applyGlobal(FlowEvent.GlobalCommand command, java.util.Map<Integer, Long> lsnByFlow) {
            model.clear();
            actions.add("flush txid=" + command.txid());
        }

        @Override
        public void resetEpoch(int epoch, boolean clearTarget) {
            if (clearTarget) {
                model.clear();
            }
            actions.add("reset " + epoch + (clearTarget ? " clear" : ""));
        }

        @Override
        public void dropped(ReplicationRecord record) {
            actions.add("drop flow " + record.flow() + " seq " + record.seq());
        }
    }

    static ReplicationRecord set(int epoch, int flow, long seq, String key, String value) {
        return ReplicationRecord.data(epoch, flow, seq, 0, new FlowEvent.JournalCommand(0, 0, seq, FlowEvent.JournalOpcode.COMMAND,
                List.of("SET".getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8))));
    }

    static ReplicationRecord flush(int epoch, int flow, long txid, int flows) {
        return ReplicationRecord.global(epoch, flow, 0, 0,
                new FlowEvent.GlobalCommand(0, txid, 0, List.of("FLUSHALL".getBytes(StandardCharsets.UTF_8))), flows);
    }

    @Test
    void writesRightAfterAFlushOnEveryFlowWaitForTheFlush() throws Exception {
        WriterBarriers b = new WriterBarriers();
        Log log = new Log();
        b.offer(set(1, 0, 1, "a", "old"), log);
        b.offer(flush(1, 0, 7, 2), log);            // flow 0 reached FLUSHALL
        b.offer(set(1, 0, 2, "a", "new"), log);     // flow 0 writes right after it: must wait
        b.offer(set(1, 1, 1, "b", "old"), log);     // flow 1 is still before the flush: applies now
        assertThat(b.heldCount()).isEqualTo(1);
        assertThat(log.model).containsEntry("b", "old").containsEntry("a", "old");
        b.offer(flush(1, 1, 7, 2), log);            // last copy: flush, then the held write
        b.offer(set(1, 1, 2, "b", "new"), log);
        assertThat(log.actions).containsExactly("apply a=old", "apply b=old", "flush txid=7", "apply a=new", "apply b=new");
        assertThat(log.model).containsExactly(java.util.Map.entry("a", "new"), java.util.Map.entry("b", "new"));
        assertThat(b.globalPending()).isFalse();
    }

    @Test
    void aSecondFlushBehindTheFirstHoldsAgainInOrder() throws Exception {
        WriterBarriers b = new WriterBarriers();
        Log log = new Log();
        b.offer(flush(1, 0, 7, 2), log);
        b.offer(set(1, 0, 2, "a", "1"), log);
        b.offer(flush(1, 0, 8, 2), log);            // flow 0 already at the next flush
        b.offer(set(1, 0, 3, "a", "2"), log);
        b.offer(flush(1, 1, 7, 2), log);            // first flush completes; second now pending
        assertThat(log.actions).containsExactly("flush txid=7", "apply a=1");
        assertThat(b.globalPending()).isTrue();
        assertThat(b.heldCount()).isEqualTo(1);
        b.offer(set(1, 1, 2, "b", "x"), log);       // flow 1 is between the two flushes
        b.offer(flush(1, 1, 8, 2), log);
        assertThat(log.actions).containsExactly("flush txid=7", "apply a=1", "apply b=x", "flush txid=8", "apply a=2");
    }

    @Test
    void anEpochResetDropsOlderRecordsAndIsNeverHeld() throws Exception {
        WriterBarriers b = new WriterBarriers();
        Log log = new Log();
        b.offer(flush(1, 0, 7, 2), log);
        b.offer(set(1, 0, 5, "a", "1"), log);          // held behind the flush
        b.offer(ReplicationRecord.epochReset(2, 0, 0, 2, true), log);
        b.offer(set(1, 1, 9, "z", "stale"), log);      // flow 1's old epoch, arriving late
        b.offer(set(2, 1, 1, "z", "fresh"), log);
        b.offer(ReplicationRecord.epochReset(2, 1, 0, 2, true), log); // second copy: nothing more
        assertThat(log.actions).containsExactly("drop flow 0 seq 5", "reset 2 clear", "drop flow 1 seq 9", "apply z=fresh");
        assertThat(b.globalPending()).isFalse();
    }

    @Test
    void checkpointStateRebuildsThePendingGlobal() throws Exception {
        WriterBarriers b = new WriterBarriers();
        Log log = new Log();
        b.offer(flush(1, 0, 7, 3), log);
        b.offer(set(1, 0, 2, "a", "1"), log);
        b.offer(flush(1, 2, 7, 3), log);
        List<ReplicationRecord> state = b.stateForCheckpoint();
        Log after = new Log();
        WriterBarriers restored = WriterBarriers.restore(b.resetEpoch(), state, after);
        assertThat(after.actions).isEmpty();
        restored.offer(set(1, 1, 1, "b", "before"), after);
        restored.offer(flush(1, 1, 7, 3), after);
        assertThat(after.actions).containsExactly("apply b=before", "flush txid=7", "apply a=1");
    }

    /** Many flows, random interleaving of channels: the result equals applying the flows in lockstep. */
    @Test
    void randomInterleavingsEqualTheSequentialOutcome() throws Exception {
        Random rnd = new Random(42);
        for (int round = 0; round < 200; round++) {
            int flows = 1 + rnd.nextInt(4);
            // Each flow: writes, a flush (same txid on every flow), writes. Keys are per flow, as in Dragonfly.
            List<List<ReplicationRecord>> channels = new ArrayList<>();
            java.util.Map<String, String> expected = new java.util.TreeMap<>();
            for (int f = 0; f < flows; f++) {
                List<ReplicationRecord> ch = new ArrayList<>();
                for (int i = 0; i < rnd.nextInt(4); i++) {
                    ch.add(set(1, f, i, "f" + f + "k" + rnd.nextInt(3), "pre" + i));
                }
                ch.add(flush(1, f, 100, flows));
                int post = rnd.nextInt(4);
                for (int i = 0; i < post; i++) {
                    String k = "f" + f + "k" + rnd.nextInt(3);
                    ch.add(set(1, f, 10 + i, k, "post" + i));
                    expected.put(k, "post" + i);
                }
                channels.add(ch);
            }
            WriterBarriers b = new WriterBarriers();
            Log log = new Log();
            int[] pos = new int[flows];
            int left = channels.stream().mapToInt(List::size).sum();
            while (left > 0) {
                int f = rnd.nextInt(flows);
                if (pos[f] < channels.get(f).size()) {
                    b.offer(channels.get(f).get(pos[f]++), log);
                    left--;
                }
            }
            assertThat(log.model).as("round %d", round).isEqualTo(expected);
            assertThat(b.heldCount()).isZero();
        }
    }
}
