package io.df2redis.testing.dfsim;

import io.df2redis.testing.recordings.Bytes;
import io.df2redis.dragonfly.event.DecodedValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/** One value of the simulator's model (and of a test's reconstruction): string, list, set, hash or zset. */
public final class SimValue {
    public enum Kind { STRING, LIST, SET, HASH, ZSET }

    private final Kind kind;
    byte[] str;
    ArrayList<Bytes> list;
    TreeSet<Bytes> set;
    TreeMap<Bytes, Bytes> hash;
    TreeMap<Bytes, Double> zset;
    long expireAtMs = -1;

    private SimValue(Kind kind) {
        this.kind = kind;
        switch (kind) {
            case LIST -> list = new ArrayList<>();
            case SET -> set = new TreeSet<>();
            case HASH -> hash = new TreeMap<>();
            case ZSET -> zset = new TreeMap<>();
            default -> { }
        }
    }

    public static SimValue empty(Kind kind) {
        return new SimValue(kind);
    }

    public static SimValue string(byte[] s) {
        SimValue v = new SimValue(Kind.STRING);
        v.str = s;
        return v;
    }

    public Kind kind() {
        return kind;
    }

    public long expireAtMs() {
        return expireAtMs;
    }

    public void expireAtMs(long ms) {
        expireAtMs = ms;
    }

    public byte[] stringValue() {
        return str;
    }

    public List<Bytes> listValue() {
        return list;
    }

    /** Number of elements (bytes for a string): the simulator uses it to decide which values are big. */
    public long size() {
        return switch (kind) {
            case STRING -> str.length;
            case LIST -> list.size();
            case SET -> set.size();
            case HASH -> hash.size();
            case ZSET -> zset.size();
        };
    }

    public boolean isEmptyContainer() {
        return kind != Kind.STRING && size() == 0;
    }

    public SimValue copy() {
        SimValue c = new SimValue(kind);
        c.expireAtMs = expireAtMs;
        switch (kind) {
            case STRING -> c.str = str;
            case LIST -> c.list.addAll(list);
            case SET -> c.set.addAll(set);
            case HASH -> c.hash.putAll(hash);
            case ZSET -> c.zset.putAll(zset);
        }
        return c;
    }

    /** The value as the encoder and parser see it. */
    public DecodedValue toDecoded() {
        switch (kind) {
            case STRING:
                return new DecodedValue.StringValue(str);
            case LIST:
                return new DecodedValue.ListValue(bytesOf(list));
            case SET:
                return new DecodedValue.SetValue(bytesOf(set), null);
            case HASH: {
                List<byte[]> fv = new ArrayList<>();
                for (Map.Entry<Bytes, Bytes> e : hash.entrySet()) {
                    fv.add(e.getKey().toByteArray());
                    fv.add(e.getValue().toByteArray());
                }
                return new DecodedValue.HashValue(fv, null);
            }
            default: {
                List<byte[]> m = new ArrayList<>();
                double[] s = new double[zset.size()];
                int i = 0;
                for (Map.Entry<Bytes, Double> e : zset.entrySet()) {
                    m.add(e.getKey().toByteArray());
                    s[i++] = e.getValue();
                }
                return new DecodedValue.ZSetValue(m, s);
            }
        }
    }

    /** Builds a value from decoded elements (replacing), or appends them to this one ({@code append}). */
    public static SimValue fromDecoded(DecodedValue d) {
        SimValue v;
        if (d instanceof DecodedValue.StringValue s) {
            return string(s.bytes());
        } else if (d instanceof DecodedValue.ListValue) {
            v = new SimValue(Kind.LIST);
        } else if (d instanceof DecodedValue.SetValue) {
            v = new SimValue(Kind.SET);
        } else if (d instanceof DecodedValue.HashValue) {
            v = new SimValue(Kind.HASH);
        } else if (d instanceof DecodedValue.ZSetValue) {
            v = new SimValue(Kind.ZSET);
        } else {
            throw new IllegalArgumentException("the simulator's model has no " + d.getClass().getSimpleName());
        }
        v.append(d);
        return v;
    }

    /** Adds the elements of one more part of a value sent in parts. */
    public void append(DecodedValue d) {
        if (d instanceof DecodedValue.StringValue s && kind == Kind.STRING) {
            byte[] n = Arrays.copyOf(str, str.length + s.bytes().length);
            System.arraycopy(s.bytes(), 0, n, str.length, s.bytes().length);
            str = n;
        } else if (d instanceof DecodedValue.ListValue l && kind == Kind.LIST) {
            for (byte[] b : l.elements()) {
                list.add(Bytes.of(b));
            }
        } else if (d instanceof DecodedValue.SetValue s && kind == Kind.SET) {
            for (byte[] b : s.members()) {
                set.add(Bytes.of(b));
            }
        } else if (d instanceof DecodedValue.HashValue h && kind == Kind.HASH) {
            List<byte[]> fv = h.fieldsAndValues();
            for (int i = 0; i < fv.size(); i += 2) {
                hash.put(Bytes.of(fv.get(i)), Bytes.of(fv.get(i + 1)));
            }
        } else if (d instanceof DecodedValue.ZSetValue z && kind == Kind.ZSET) {
            for (int i = 0; i < z.members().size(); i++) {
                zset.put(Bytes.of(z.members().get(i)), z.scores()[i]);
            }
        } else {
            throw new IllegalArgumentException("cannot append " + d.getClass().getSimpleName() + " to a " + kind);
        }
    }

    private static List<byte[]> bytesOf(Iterable<Bytes> keys) {
        List<byte[]> out = new ArrayList<>();
        for (Bytes k : keys) {
            out.add(k.toByteArray());
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SimValue v) || v.kind != kind || v.expireAtMs != expireAtMs) {
            return false;
        }
        return switch (kind) {
            case STRING -> Arrays.equals(str, v.str);
            case LIST -> list.equals(v.list);
            case SET -> set.equals(v.set);
            case HASH -> hash.equals(v.hash);
            case ZSET -> zset.equals(v.zset);
        };
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, expireAtMs, size());
    }

    @Override
    public String toString() {
        String body = switch (kind) {
            case STRING -> str.length > 48 ? "\"" + Bytes.of(Arrays.copyOf(str, 48)) + "…\" (" + str.length + " bytes)"
                    : "\"" + Bytes.of(str) + "\"";
            case LIST -> list.size() > 8 ? list.subList(0, 8) + "… (" + list.size() + ")" : list.toString();
            case SET -> set.size() > 8 ? "(" + set.size() + " members)" : set.toString();
            case HASH -> hash.size() > 8 ? "(" + hash.size() + " fields)" : hash.toString();
            case ZSET -> zset.size() > 8 ? "(" + zset.size() + " members)" : zset.toString();
        };
        return kind + " " + body + (expireAtMs >= 0 ? " expire@" + expireAtMs : "");
    }
}
