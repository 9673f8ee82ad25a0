package io.df2redis.testing.recordings;

import io.df2redis.dragonfly.event.DecodedValue;
import io.df2redis.dragonfly.rdb.RdbType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a parsed key (type + decoded value) into the dump model of {@link DatasetRow}, so parser
 * output compares with the recorded datasets: sets and hashes sorted by raw bytes, zsets in rank
 * order, stream ids printed {@code ms-seq}, member TTLs (absolute seconds) as {@code
 * member_expire_at_s}.
 */
public final class DecodedRows {
    private DecodedRows() {}

    public static DatasetRow row(int db, byte[] key, RdbType type, long expireAtMs, DecodedValue v) {
        String typeName;
        DatasetValue value;
        Map<Bytes, Long> memberTtl = null;
        if (v instanceof DecodedValue.StringValue s) {
            typeName = "string";
            value = new DatasetValue.StringValue(Bytes.of(s.bytes()));
        } else if (v instanceof DecodedValue.ListValue l) {
            typeName = "list";
            value = new DatasetValue.ListValue(l.elements().stream().map(Bytes::of).toList());
        } else if (v instanceof DecodedValue.SetValue s) {
            typeName = "set";
            value = new DatasetValue.SetValue(s.members().stream().map(Bytes::of).sorted().toList());
            memberTtl = ttls(s.members(), 1, s.expireAtSec());
        } else if (v instanceof DecodedValue.HashValue h) {
            typeName = "hash";
            List<DatasetValue.FieldValue> fv = new ArrayList<>();
            List<byte[]> x = h.fieldsAndValues();
            for (int i = 0; i < x.size(); i += 2) {
                fv.add(new DatasetValue.FieldValue(Bytes.of(x.get(i)), Bytes.of(x.get(i + 1))));
            }
            fv.sort(Comparator.comparing(DatasetValue.FieldValue::field));
            value = new DatasetValue.HashValue(List.copyOf(fv));
            memberTtl = ttls(x, 2, h.expireAtSec());
        } else if (v instanceof DecodedValue.ZSetValue z) {
            typeName = "zset";
            List<DatasetValue.ScoredMember> m = new ArrayList<>();
            for (int i = 0; i < z.members().size(); i++) {
                m.add(new DatasetValue.ScoredMember(Bytes.of(z.members().get(i)), z.scores()[i]));
            }
            m.sort(Comparator.comparingDouble(DatasetValue.ScoredMember::score)
                    .thenComparing(DatasetValue.ScoredMember::member));
            value = new DatasetValue.ZSetValue(List.copyOf(m));
        } else if (v instanceof DecodedValue.StreamValue s) {
            typeName = "stream";
            value = stream(s);
        } else if (v instanceof DecodedValue.JsonValue j) {
            typeName = "ReJSON-RL";
            value = new DatasetValue.JsonValue(new String(j.text(), java.nio.charset.StandardCharsets.UTF_8));
        } else {
            typeName = unsupportedName(type);
            value = new DatasetValue.Unsupported(typeName);
        }
        return new DatasetRow(db, Bytes.of(key), typeName, -1, expireAtMs < 0 ? null : expireAtMs, value, memberTtl);
    }

    /** The TYPE reply Dragonfly gives for its probabilistic types. */
    public static String unsupportedName(RdbType type) {
        return switch (type.kind()) {
            case BLOOM -> "MBbloom--";
            case CUCKOO -> "MBbloomCF";
            case CMS -> "CMSk-TYPE";
            case TOPK -> "TopK-TYPE";
            default -> type.name();
        };
    }

    private static Map<Bytes, Long> ttls(List<byte[]> items, int stride, long[] expireAtSec) {
        if (expireAtSec == null) {
            return null;
        }
        Map<Bytes, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < expireAtSec.length; i++) {
            if (expireAtSec[i] != -1) {
                m.put(Bytes.of(items.get(i * stride)), expireAtSec[i]);
            }
        }
        return m;
    }

    private static DatasetValue.StreamValue stream(DecodedValue.StreamValue s) {
        List<DatasetValue.StreamEntry> entries = new ArrayList<>();
        for (DecodedValue.StreamEntry e : s.entries()) {
            List<DatasetValue.FieldValue> fv = new ArrayList<>();
            for (int i = 0; i < e.fieldsAndValues().size(); i += 2) {
                fv.add(new DatasetValue.FieldValue(Bytes.of(e.fieldsAndValues().get(i)), Bytes.of(e.fieldsAndValues().get(i + 1))));
            }
            entries.add(new DatasetValue.StreamEntry(e.id().toString(), List.copyOf(fv)));
        }
        List<DatasetValue.StreamGroup> groups = new ArrayList<>();
        for (DecodedValue.StreamGroup g : s.meta().groups()) {
            List<DatasetValue.StreamConsumer> consumers = new ArrayList<>();
            for (DecodedValue.StreamConsumer c : g.consumers()) {
                consumers.add(new DatasetValue.StreamConsumer(new String(c.name(), java.nio.charset.StandardCharsets.UTF_8),
                        c.pending().size()));
            }
            groups.add(new DatasetValue.StreamGroup(new String(g.name(), java.nio.charset.StandardCharsets.UTF_8),
                    g.lastDeliveredId().toString(), g.pending().size(), List.copyOf(consumers)));
        }
        return new DatasetValue.StreamValue(List.copyOf(entries), s.meta().length(), s.meta().lastId().toString(),
                List.copyOf(groups));
    }
}
