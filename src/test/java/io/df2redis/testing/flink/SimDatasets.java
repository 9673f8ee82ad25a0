package io.df2redis.testing.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.df2redis.dragonfly.event.DecodedValue;
import io.df2redis.testing.dataset.Dataset;
import io.df2redis.testing.dataset.DatasetRow;
import io.df2redis.testing.dfsim.SimDataset;
import io.df2redis.testing.dfsim.SimValue;
import io.df2redis.testing.recordings.Bytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The simulator's authoritative data as dataset rows, to compare with a dump of the target. */
public final class SimDatasets {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private SimDatasets() {}

    public static Dataset toDataset(SimDataset sim) {
        List<DatasetRow> rows = new ArrayList<>();
        TreeMap<Integer, TreeMap<Bytes, SimValue>> all = sim.copy(k -> true);
        for (Map.Entry<Integer, TreeMap<Bytes, SimValue>> db : all.entrySet()) {
            for (Map.Entry<Bytes, SimValue> e : db.getValue().entrySet()) {
                SimValue v = e.getValue();
                if (v.isEmptyContainer()) {
                    continue;
                }
                rows.add(new DatasetRow(db.getKey(), e.getKey().toByteArray(), type(v.kind()),
                        v.expireAtMs() < 0 ? null : v.expireAtMs(), value(v.toDecoded()), null));
            }
        }
        return new Dataset(rows);
    }

    private static String type(SimValue.Kind k) {
        return switch (k) {
            case STRING -> "string";
            case LIST -> "list";
            case SET -> "set";
            case HASH -> "hash";
            case ZSET -> "zset";
        };
    }

    private static JsonNode value(DecodedValue d) {
        if (d instanceof DecodedValue.StringValue s) {
            return F.textNode(b64(s.bytes()));
        }
        if (d instanceof DecodedValue.ListValue l) {
            return array(l.elements());
        }
        if (d instanceof DecodedValue.SetValue s) {
            List<byte[]> m = new ArrayList<>(s.members());
            m.sort(Arrays::compareUnsigned);
            return array(m);
        }
        if (d instanceof DecodedValue.HashValue h) {
            List<byte[][]> pairs = new ArrayList<>();
            for (int i = 0; i < h.fieldsAndValues().size(); i += 2) {
                pairs.add(new byte[][] {h.fieldsAndValues().get(i), h.fieldsAndValues().get(i + 1)});
            }
            pairs.sort(Comparator.comparing((byte[][] p) -> p[0], Arrays::compareUnsigned));
            ArrayNode a = F.arrayNode();
            for (byte[][] p : pairs) {
                a.add(F.arrayNode().add(b64(p[0])).add(b64(p[1])));
            }
            return a;
        }
        DecodedValue.ZSetValue z = (DecodedValue.ZSetValue) d;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < z.members().size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingDouble(i -> z.scores()[i])
                .thenComparing(i -> z.members().get(i), Arrays::compareUnsigned));
        ArrayNode a = F.arrayNode();
        for (int i : order) {
            a.add(F.arrayNode().add(b64(z.members().get(i))).add(score(z.scores()[i])));
        }
        return a;
    }

    private static String score(double s) {
        if (s == Double.POSITIVE_INFINITY) {
            return "inf";
        }
        if (s == Double.NEGATIVE_INFINITY) {
            return "-inf";
        }
        return Double.toString(s);
    }

    private static ArrayNode array(List<byte[]> items) {
        ArrayNode a = F.arrayNode();
        for (byte[] b : items) {
            a.add(b64(b));
        }
        return a;
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
