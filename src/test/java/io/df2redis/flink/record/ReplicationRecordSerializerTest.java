package io.df2redis.flink.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.dragonfly.event.DecodedValue;
import io.df2redis.dragonfly.event.DecodedValue.StreamId;
import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.dragonfly.event.RdbValue;
import io.df2redis.dragonfly.rdb.RdbType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ReplicationRecordSerializerTest {
    private static final ReplicationRecordSerializer S = ReplicationRecordSerializer.INSTANCE;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<ReplicationRecord> samples() {
        DecodedValue.StreamMeta meta = new DecodedValue.StreamMeta(2, new StreamId(5, 1), new StreamId(1, 0), StreamId.ZERO, 7,
                List.of(new DecodedValue.StreamGroup(b("g"), new StreamId(5, 1), 2,
                        List.of(new DecodedValue.PendingEntry(new StreamId(5, 1), 1234, 3)),
                        List.of(new DecodedValue.StreamConsumer(b("c"), 99, -1, List.of(new StreamId(5, 1)))))));
        return List.of(
                ReplicationRecord.data(1, 0, 1, 42, new FlowEvent.SnapshotObject(3, b("k"), 1_800_000_000_000L, 1, 77,
                        new RdbValue(RdbType.LIST_QUICKLIST_2, new byte[] {1, 2, 3}))),
                ReplicationRecord.data(1, 0, 2, 42, new FlowEvent.ObjectPart(0, b("big"), RdbType.ZSET_2, 3, true, -1, 0, 0,
                        new DecodedValue.ZSetValue(List.of(b("a"), b("b")), new double[] {Double.NEGATIVE_INFINITY, 0.1}))),
                ReplicationRecord.data(1, 0, 3, 42, new FlowEvent.ObjectPart(0, b("h"), RdbType.DF_HASH_WITH_EXPIRY, 0, false, -1, 0, 0,
                        new DecodedValue.HashValue(List.of(b("f"), b("v")), new long[] {1_700_000_000L}))),
                ReplicationRecord.data(1, 0, 4, 42, new FlowEvent.ObjectPart(0, b("s"), RdbType.SET, 0, false, -1, 0, 0,
                        new DecodedValue.SetValue(List.of(b("m")), null))),
                ReplicationRecord.data(1, 0, 5, 42, new FlowEvent.ObjectPart(0, b("x"), RdbType.STREAM_LISTPACKS_3, 1, true, 5, 0, 0,
                        new DecodedValue.StreamValue(List.of(new DecodedValue.StreamEntry(new StreamId(5, 1), List.of(b("f"), b("v")))), meta))),
                ReplicationRecord.data(1, 0, 6, 42, new FlowEvent.ObjectPart(0, b("str"), RdbType.STRING, 2, false, -1, 0, 0,
                        new DecodedValue.StringValue(new byte[70_000]))),
                ReplicationRecord.data(1, 0, 7, 42, new FlowEvent.ObjectPart(0, b("l"), RdbType.LIST_QUICKLIST_2, 0, false, -1, 0, 0,
                        new DecodedValue.ListValue(List.of(b(""), b("x"))))),
                ReplicationRecord.data(1, 0, 8, 42, new FlowEvent.ObjectPart(0, b("j"), RdbType.DF_JSON, 0, true, -1, 0, 0,
                        new DecodedValue.JsonValue(b("{}")))),
                ReplicationRecord.data(1, 0, 9, 42, new FlowEvent.ObjectPart(0, b("bf"), RdbType.DF_SBF2, 0, true, -1, 0, 0,
                        new DecodedValue.OpaqueValue(new byte[] {9}))),
                ReplicationRecord.journal(2, 1, 1001, 16383, b("k"), new FlowEvent.JournalCommand(5, 0, 1001, FlowEvent.JournalOpcode.COMMAND,
                        List.of(b("SET"), b("k"), new byte[0]))),
                ReplicationRecord.journal(2, 1, 1002, 7, b("b"), new FlowEvent.JournalCommand(0, 9, 1002, FlowEvent.JournalOpcode.COMMAND,
                        List.of(b("RENAME"), b("a"), b("b")))),
                ReplicationRecord.global(2, 1, 1003, 0, new FlowEvent.GlobalCommand(0, 12, 1003, List.of(b("FLUSHALL"))), 4),
                ReplicationRecord.epochReset(3, 0, 11, 4, true),
                ReplicationRecord.batch(1, 1, 10, 9, List.of(
                        new FlowEvent.SnapshotObject(0, b("key:1"), -1, 0, 0, new RdbValue(RdbType.STRING, b("one"))),
                        new FlowEvent.SnapshotObject(2, b("key:2"), 1_800_000_000_000L, 1, 7,
                                new RdbValue(RdbType.HASH_LISTPACK, new byte[300])))));
    }

    /** A batch's entries come back in order, each as it was. */
    @Test
    void aBatchKeepsItsEntriesInOrder() throws IOException {
        List<FlowEvent> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            entries.add(new FlowEvent.SnapshotObject(i % 3, b("key:" + i), i % 2 == 0 ? -1 : 1_800_000_000_000L + i, 0, 0,
                    new RdbValue(RdbType.STRING, b("value " + i))));
        }
        ReplicationRecord back = S.deserialize(new DataInputDeserializer(serialize(ReplicationRecord.batch(4, 1, 77, 12, entries))));
        assertThat(back.kind()).isEqualTo(ReplicationRecord.Kind.BATCH);
        assertThat(back.event()).isNull();
        assertThat(back.batch()).hasSize(500);
        for (int i = 0; i < 500; i++) {
            FlowEvent.SnapshotObject o = (FlowEvent.SnapshotObject) back.batch().get(i);
            FlowEvent.SnapshotObject e = (FlowEvent.SnapshotObject) entries.get(i);
            assertThat(o.db()).isEqualTo(e.db());
            assertThat(o.key()).isEqualTo(e.key());
            assertThat(o.expireAtMs()).isEqualTo(e.expireAtMs());
            assertThat(o.value().encoded()).isEqualTo(e.value().encoded());
        }
        assertThatThrownBy(() -> ReplicationRecord.batch(4, 1, 77, 12, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] serialize(ReplicationRecord r) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        S.serialize(r, out);
        return out.getCopyOfBuffer();
    }

    @Test
    void everyKindAndValueRoundTrips() throws IOException {
        for (ReplicationRecord r : samples()) {
            byte[] bytes = serialize(r);
            ReplicationRecord back = S.deserialize(new DataInputDeserializer(bytes));
            assertThat(back.kind()).isEqualTo(r.kind());
            assertThat(back.epoch()).isEqualTo(r.epoch());
            assertThat(back.flow()).isEqualTo(r.flow());
            assertThat(back.seq()).isEqualTo(r.seq());
            assertThat(back.slot()).isEqualTo(r.slot());
            assertThat(back.barrierFlows()).isEqualTo(r.barrierFlows());
            assertThat(back.clearTarget()).isEqualTo(r.clearTarget());
            assertThat(back.routingKey()).isEqualTo(r.routingKey());
            assertThat(serialize(back)).as("re-serialized %s", r).isEqualTo(bytes);
            if (r.event() != null) {
                assertThat(back.event().getClass()).isEqualTo(r.event().getClass());
            }
        }
    }

    @Test
    void copyBetweenViewsKeepsBytes() throws IOException {
        for (ReplicationRecord r : samples()) {
            byte[] bytes = serialize(r);
            DataOutputSerializer out = new DataOutputSerializer(64);
            S.copy(new DataInputDeserializer(bytes), out);
            assertThat(out.getCopyOfBuffer()).isEqualTo(bytes);
        }
    }

    @Test
    void corruptInputIsAnIOExceptionNotAGarbageRecord() {
        assertThatThrownBy(() -> S.deserialize(new DataInputDeserializer(new byte[] {(byte) 99, 0, 0})))
                .isInstanceOf(IOException.class).hasMessageContaining("unknown kind");
    }

    @Test
    void snapshotRestoresACompatibleSerializer() throws IOException {
        TypeSerializerSnapshot<ReplicationRecord> snap = S.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(16);
        snap.writeSnapshot(out);
        TypeSerializerSnapshot<ReplicationRecord> read = new ReplicationRecordSerializer.Snapshot();
        read.readSnapshot(snap.getCurrentVersion(), new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(read.restoreSerializer()).isEqualTo(S);
        TypeSerializerSchemaCompatibility<ReplicationRecord> c = new ReplicationRecordSerializer.Snapshot().resolveSchemaCompatibility(read);
        assertThat(c.isCompatibleAsIs()).isTrue();
    }
}
