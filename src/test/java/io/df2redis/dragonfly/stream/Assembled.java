package io.df2redis.dragonfly.stream;

import io.df2redis.dragonfly.event.DecodedValue;
import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.dragonfly.rdb.RdbFormatException;
import io.df2redis.dragonfly.rdb.RdbType;
import io.df2redis.dragonfly.rdb.ValueDecoder;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot entry with its whole decoded value, whether it came as one SnapshotObject or as
 * ObjectParts (test helper: concatenates the parts).
 */
record Assembled(int db, byte[] key, RdbType type, long expireAtMs, int dfMask, long mcFlags, DecodedValue value,
        boolean fromParts, int parts) {

    /** Snapshot entries in stream order (a parted entry where its last part is). */
    static List<Assembled> from(List<FlowEvent> events) throws RdbFormatException {
        List<Assembled> out = new ArrayList<>();
        Map<String, List<FlowEvent.ObjectPart>> open = new LinkedHashMap<>();
        for (FlowEvent e : events) {
            if (e instanceof FlowEvent.SnapshotObject o) {
                out.add(new Assembled(o.db(), o.key(), o.value().type(), o.expireAtMs(), o.dfMask(), o.mcFlags(),
                        ValueDecoder.decode(o.value()), false, 1));
            } else if (e instanceof FlowEvent.ObjectPart p) {
                String id = p.db() + "/" + new String(p.key(), java.nio.charset.StandardCharsets.ISO_8859_1);
                List<FlowEvent.ObjectPart> parts = open.computeIfAbsent(id, k -> new ArrayList<>());
                if (p.index() != parts.size()) {
                    throw new AssertionError("part " + p.index() + " of " + id + " after " + parts.size() + " parts");
                }
                parts.add(p);
                if (p.last()) {
                    open.remove(id);
                    out.add(new Assembled(p.db(), p.key(), p.type(), p.expireAtMs(), p.dfMask(), p.mcFlags(),
                            concat(parts), true, parts.size()));
                }
            }
        }
        if (!open.isEmpty()) {
            throw new AssertionError("unfinished parted values: " + open.keySet());
        }
        return out;
    }

    static DecodedValue concat(List<FlowEvent.ObjectPart> parts) {
        DecodedValue first = parts.get(0).elements();
        if (first instanceof DecodedValue.StringValue || first instanceof DecodedValue.JsonValue
                || first instanceof DecodedValue.OpaqueValue) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (FlowEvent.ObjectPart p : parts) {
                DecodedValue v = p.elements();
                if (v instanceof DecodedValue.StringValue s) {
                    b.writeBytes(s.bytes());
                } else if (v instanceof DecodedValue.JsonValue j) {
                    b.writeBytes(j.text());
                } else if (v instanceof DecodedValue.OpaqueValue o) {
                    b.writeBytes(o.encoded());
                } else {
                    throw new AssertionError(v);
                }
            }
            if (first instanceof DecodedValue.StringValue) {
                return new DecodedValue.StringValue(b.toByteArray());
            }
            if (first instanceof DecodedValue.JsonValue) {
                return new DecodedValue.JsonValue(b.toByteArray());
            }
            return new DecodedValue.OpaqueValue(b.toByteArray());
        }
        List<byte[]> items = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        List<Long> ttls = new ArrayList<>();
        boolean hasTtl = false;
        List<DecodedValue.StreamEntry> entries = new ArrayList<>();
        DecodedValue.StreamMeta meta = null;
        for (FlowEvent.ObjectPart p : parts) {
            DecodedValue v = p.elements();
            if (v instanceof DecodedValue.ListValue l) {
                items.addAll(l.elements());
            } else if (v instanceof DecodedValue.SetValue s) {
                items.addAll(s.members());
                if (s.expireAtSec() != null) {
                    hasTtl = true;
                    for (long t : s.expireAtSec()) {
                        ttls.add(t);
                    }
                }
            } else if (v instanceof DecodedValue.HashValue h) {
                items.addAll(h.fieldsAndValues());
                if (h.expireAtSec() != null) {
                    hasTtl = true;
                    for (long t : h.expireAtSec()) {
                        ttls.add(t);
                    }
                }
            } else if (v instanceof DecodedValue.ZSetValue z) {
                items.addAll(z.members());
                for (double d : z.scores()) {
                    scores.add(d);
                }
            } else if (v instanceof DecodedValue.StreamValue s) {
                entries.addAll(s.entries());
                if (s.meta() != null) {
                    meta = s.meta();
                }
            } else {
                throw new AssertionError(v);
            }
        }
        long[] t = hasTtl ? ttls.stream().mapToLong(Long::longValue).toArray() : null;
        if (first instanceof DecodedValue.ListValue) {
            return new DecodedValue.ListValue(items);
        }
        if (first instanceof DecodedValue.SetValue) {
            return new DecodedValue.SetValue(items, t);
        }
        if (first instanceof DecodedValue.HashValue) {
            return new DecodedValue.HashValue(items, t);
        }
        if (first instanceof DecodedValue.ZSetValue) {
            return new DecodedValue.ZSetValue(items, scores.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return new DecodedValue.StreamValue(entries, meta);
    }
}
