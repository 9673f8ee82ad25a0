package io.df2redis.dragonfly.stream;

import io.df2redis.dragonfly.event.DecodedValue;
import java.util.Arrays;
import java.util.List;

/** Canonical text of decoded elements, byte arrays by content (test helper). */
final class DecodedText {
    private DecodedText() {}

    static String of(DecodedValue v) {
        if (v instanceof DecodedValue.StringValue s) {
            return "string " + EventText.bytes(s.bytes());
        }
        if (v instanceof DecodedValue.JsonValue j) {
            return "json " + EventText.bytes(j.text());
        }
        if (v instanceof DecodedValue.OpaqueValue o) {
            return "opaque " + EventText.bytes(o.encoded());
        }
        if (v instanceof DecodedValue.ListValue l) {
            return "list " + list(l.elements());
        }
        if (v instanceof DecodedValue.SetValue s) {
            return "set " + list(s.members()) + " " + Arrays.toString(s.expireAtSec());
        }
        if (v instanceof DecodedValue.HashValue h) {
            return "hash " + list(h.fieldsAndValues()) + " " + Arrays.toString(h.expireAtSec());
        }
        if (v instanceof DecodedValue.ZSetValue z) {
            return "zset " + list(z.members()) + " " + Arrays.toString(z.scores());
        }
        DecodedValue.StreamValue s = (DecodedValue.StreamValue) v;
        StringBuilder sb = new StringBuilder("stream");
        for (DecodedValue.StreamEntry e : s.entries()) {
            sb.append(' ').append(e.id()).append(list(e.fieldsAndValues()));
        }
        if (s.meta() != null) {
            DecodedValue.StreamMeta m = s.meta();
            sb.append(" meta ").append(m.length()).append(' ').append(m.lastId()).append(' ').append(m.firstId())
                    .append(' ').append(m.maxDeletedId()).append(' ').append(m.entriesAdded());
            for (DecodedValue.StreamGroup g : m.groups()) {
                sb.append(" group ").append(EventText.bytes(g.name())).append(' ').append(g.lastDeliveredId())
                        .append(' ').append(g.entriesRead()).append(' ').append(g.pending());
                for (DecodedValue.StreamConsumer c : g.consumers()) {
                    sb.append(" consumer ").append(EventText.bytes(c.name())).append(' ').append(c.seenTimeMs())
                            .append(' ').append(c.activeTimeMs()).append(' ').append(c.pending());
                }
            }
        }
        return sb.toString();
    }

    private static String list(List<byte[]> items) {
        return items.stream().map(EventText::bytes).toList().toString();
    }
}
