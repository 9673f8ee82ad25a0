package io.df2redis.flink.record;

import io.df2redis.dragonfly.event.DecodedValue;
import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.dragonfly.event.RdbValue;
import io.df2redis.dragonfly.rdb.RdbType;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Compact binary form of the {@link FlowEvent}s that travel in records and writer state. Byte
 * arrays are written as length + bytes and read back into fresh arrays; there is no class metadata
 * and no Kryo. Changing the layout means a new serializer snapshot version.
 */
public final class FlowEventCodec {
    private static final RdbType[] TYPES = RdbType.values();
    private static final FlowEvent.JournalOpcode[] OPCODES = FlowEvent.JournalOpcode.values();

    private static final byte SNAPSHOT_OBJECT = 1;
    private static final byte OBJECT_PART = 2;
    private static final byte JOURNAL_COMMAND = 3;
    private static final byte GLOBAL_COMMAND = 4;

    private static final byte V_STRING = 1;
    private static final byte V_LIST = 2;
    private static final byte V_SET = 3;
    private static final byte V_HASH = 4;
    private static final byte V_ZSET = 5;
    private static final byte V_STREAM = 6;
    private static final byte V_JSON = 7;
    private static final byte V_OPAQUE = 8;

    private FlowEventCodec() {}

    public static void write(FlowEvent event, DataOutput out) throws IOException {
        if (event instanceof FlowEvent.SnapshotObject o) {
            out.writeByte(SNAPSHOT_OBJECT);
            out.writeInt(o.db());
            bytes(out, o.key());
            out.writeLong(o.expireAtMs());
            out.writeInt(o.dfMask());
            out.writeLong(o.mcFlags());
            out.writeByte(o.value().type().ordinal());
            bytes(out, o.value().encoded());
        } else if (event instanceof FlowEvent.ObjectPart p) {
            out.writeByte(OBJECT_PART);
            out.writeInt(p.db());
            bytes(out, p.key());
            out.writeByte(p.type().ordinal());
            out.writeInt(p.index());
            out.writeBoolean(p.last());
            out.writeLong(p.expireAtMs());
            out.writeInt(p.dfMask());
            out.writeLong(p.mcFlags());
            writeValue(p.elements(), out);
        } else if (event instanceof FlowEvent.JournalCommand c) {
            out.writeByte(JOURNAL_COMMAND);
            out.writeInt(c.db());
            out.writeLong(c.txid());
            out.writeLong(c.lsn());
            out.writeByte(c.opcode().ordinal());
            byteList(out, c.args());
        } else if (event instanceof FlowEvent.GlobalCommand g) {
            out.writeByte(GLOBAL_COMMAND);
            out.writeInt(g.db());
            out.writeLong(g.txid());
            out.writeLong(g.lsn());
            byteList(out, g.args());
        } else {
            throw new IllegalArgumentException("not a record event: " + event);
        }
    }

    public static FlowEvent read(DataInput in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case SNAPSHOT_OBJECT: {
                int db = in.readInt();
                byte[] key = bytes(in);
                long expire = in.readLong();
                int mask = in.readInt();
                long mc = in.readLong();
                RdbType type = TYPES[in.readUnsignedByte()];
                return new FlowEvent.SnapshotObject(db, key, expire, mask, mc, new RdbValue(type, bytes(in)));
            }
            case OBJECT_PART: {
                int db = in.readInt();
                byte[] key = bytes(in);
                RdbType type = TYPES[in.readUnsignedByte()];
                int index = in.readInt();
                boolean last = in.readBoolean();
                long expire = in.readLong();
                int mask = in.readInt();
                long mc = in.readLong();
                return new FlowEvent.ObjectPart(db, key, type, index, last, expire, mask, mc, readValue(in));
            }
            case JOURNAL_COMMAND: {
                int db = in.readInt();
                long txid = in.readLong();
                long lsn = in.readLong();
                FlowEvent.JournalOpcode op = OPCODES[in.readUnsignedByte()];
                return new FlowEvent.JournalCommand(db, txid, lsn, op, byteList(in));
            }
            case GLOBAL_COMMAND: {
                int db = in.readInt();
                long txid = in.readLong();
                long lsn = in.readLong();
                return new FlowEvent.GlobalCommand(db, txid, lsn, byteList(in));
            }
            default:
                throw new IOException("corrupt record: unknown event tag " + tag);
        }
    }

    static void writeValue(DecodedValue v, DataOutput out) throws IOException {
        if (v instanceof DecodedValue.StringValue s) {
            out.writeByte(V_STRING);
            bytes(out, s.bytes());
        } else if (v instanceof DecodedValue.ListValue l) {
            out.writeByte(V_LIST);
            byteList(out, l.elements());
        } else if (v instanceof DecodedValue.SetValue s) {
            out.writeByte(V_SET);
            byteList(out, s.members());
            longs(out, s.expireAtSec());
        } else if (v instanceof DecodedValue.HashValue h) {
            out.writeByte(V_HASH);
            byteList(out, h.fieldsAndValues());
            longs(out, h.expireAtSec());
        } else if (v instanceof DecodedValue.ZSetValue z) {
            out.writeByte(V_ZSET);
            byteList(out, z.members());
            for (int i = 0; i < z.members().size(); i++) {
                out.writeDouble(z.scores()[i]);
            }
        } else if (v instanceof DecodedValue.StreamValue s) {
            out.writeByte(V_STREAM);
            out.writeInt(s.entries().size());
            for (DecodedValue.StreamEntry e : s.entries()) {
                id(out, e.id());
                byteList(out, e.fieldsAndValues());
            }
            out.writeBoolean(s.meta() != null);
            if (s.meta() != null) {
                writeMeta(s.meta(), out);
            }
        } else if (v instanceof DecodedValue.JsonValue j) {
            out.writeByte(V_JSON);
            bytes(out, j.text());
        } else if (v instanceof DecodedValue.OpaqueValue o) {
            out.writeByte(V_OPAQUE);
            bytes(out, o.encoded());
        } else {
            throw new IllegalArgumentException("unknown value " + v);
        }
    }

    static DecodedValue readValue(DataInput in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case V_STRING:
                return new DecodedValue.StringValue(bytes(in));
            case V_LIST:
                return new DecodedValue.ListValue(byteList(in));
            case V_SET: {
                List<byte[]> members = byteList(in);
                return new DecodedValue.SetValue(members, longs(in));
            }
            case V_HASH: {
                List<byte[]> fv = byteList(in);
                return new DecodedValue.HashValue(fv, longs(in));
            }
            case V_ZSET: {
                List<byte[]> members = byteList(in);
                double[] scores = new double[members.size()];
                for (int i = 0; i < scores.length; i++) {
                    scores[i] = in.readDouble();
                }
                return new DecodedValue.ZSetValue(members, scores);
            }
            case V_STREAM: {
                int n = count(in);
                List<DecodedValue.StreamEntry> entries = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    entries.add(new DecodedValue.StreamEntry(id(in), byteList(in)));
                }
                DecodedValue.StreamMeta meta = in.readBoolean() ? readMeta(in) : null;
                return new DecodedValue.StreamValue(entries, meta);
            }
            case V_JSON:
                return new DecodedValue.JsonValue(bytes(in));
            case V_OPAQUE:
                return new DecodedValue.OpaqueValue(bytes(in));
            default:
                throw new IOException("corrupt record: unknown value tag " + tag);
        }
    }

    private static void writeMeta(DecodedValue.StreamMeta m, DataOutput out) throws IOException {
        out.writeLong(m.length());
        nullableId(out, m.lastId());
        nullableId(out, m.firstId());
        nullableId(out, m.maxDeletedId());
        out.writeLong(m.entriesAdded());
        out.writeInt(m.groups().size());
        for (DecodedValue.StreamGroup g : m.groups()) {
            bytes(out, g.name());
            nullableId(out, g.lastDeliveredId());
            out.writeLong(g.entriesRead());
            out.writeInt(g.pending().size());
            for (DecodedValue.PendingEntry p : g.pending()) {
                id(out, p.id());
                out.writeLong(p.deliveryTimeMs());
                out.writeLong(p.deliveryCount());
            }
            out.writeInt(g.consumers().size());
            for (DecodedValue.StreamConsumer c : g.consumers()) {
                bytes(out, c.name());
                out.writeLong(c.seenTimeMs());
                out.writeLong(c.activeTimeMs());
                out.writeInt(c.pending().size());
                for (DecodedValue.StreamId id : c.pending()) {
                    id(out, id);
                }
            }
        }
    }

    private static DecodedValue.StreamMeta readMeta(DataInput in) throws IOException {
        long length = in.readLong();
        DecodedValue.StreamId last = nullableId(in);
        DecodedValue.StreamId first = nullableId(in);
        DecodedValue.StreamId maxDeleted = nullableId(in);
        long added = in.readLong();
        int ng = count(in);
        List<DecodedValue.StreamGroup> groups = new ArrayList<>(ng);
        for (int i = 0; i < ng; i++) {
            byte[] name = bytes(in);
            DecodedValue.StreamId lastDelivered = nullableId(in);
            long entriesRead = in.readLong();
            int np = count(in);
            List<DecodedValue.PendingEntry> pel = new ArrayList<>(np);
            for (int j = 0; j < np; j++) {
                pel.add(new DecodedValue.PendingEntry(id(in), in.readLong(), in.readLong()));
            }
            int nc = count(in);
            List<DecodedValue.StreamConsumer> consumers = new ArrayList<>(nc);
            for (int j = 0; j < nc; j++) {
                byte[] cname = bytes(in);
                long seen = in.readLong();
                long active = in.readLong();
                int ncp = count(in);
                List<DecodedValue.StreamId> ids = new ArrayList<>(ncp);
                for (int k = 0; k < ncp; k++) {
                    ids.add(id(in));
                }
                consumers.add(new DecodedValue.StreamConsumer(cname, seen, active, ids));
            }
            groups.add(new DecodedValue.StreamGroup(name, lastDelivered, entriesRead, pel, consumers));
        }
        return new DecodedValue.StreamMeta(length, last, first, maxDeleted, added, groups);
    }

    private static void id(DataOutput out, DecodedValue.StreamId id) throws IOException {
        out.writeLong(id.ms());
        out.writeLong(id.seq());
    }

    private static DecodedValue.StreamId id(DataInput in) throws IOException {
        return new DecodedValue.StreamId(in.readLong(), in.readLong());
    }

    private static void nullableId(DataOutput out, DecodedValue.StreamId id) throws IOException {
        out.writeBoolean(id != null);
        if (id != null) {
            id(out, id);
        }
    }

    private static DecodedValue.StreamId nullableId(DataInput in) throws IOException {
        return in.readBoolean() ? id(in) : null;
    }

    static void bytes(DataOutput out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    static byte[] bytes(DataInput in) throws IOException {
        byte[] b = new byte[count(in)];
        in.readFully(b);
        return b;
    }

    private static void byteList(DataOutput out, List<byte[]> list) throws IOException {
        out.writeInt(list.size());
        for (byte[] b : list) {
            bytes(out, b);
        }
    }

    private static List<byte[]> byteList(DataInput in) throws IOException {
        int n = count(in);
        List<byte[]> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(bytes(in));
        }
        return list;
    }

    private static void longs(DataOutput out, long[] values) throws IOException {
        if (values == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(values.length);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    private static long[] longs(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readLong();
        }
        return values;
    }

    private static int count(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt record: negative length " + n);
        }
        return n;
    }
}
