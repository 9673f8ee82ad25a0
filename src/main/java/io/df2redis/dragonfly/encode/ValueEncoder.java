package io.df2redis.dragonfly.encode;

import io.df2redis.dragonfly.event.DecodedValue;
import io.df2redis.dragonfly.event.DecodedValue.HashValue;
import io.df2redis.dragonfly.event.DecodedValue.ListValue;
import io.df2redis.dragonfly.event.DecodedValue.SetValue;
import io.df2redis.dragonfly.event.DecodedValue.StreamConsumer;
import io.df2redis.dragonfly.event.DecodedValue.StreamEntry;
import io.df2redis.dragonfly.event.DecodedValue.StreamGroup;
import io.df2redis.dragonfly.event.DecodedValue.StreamId;
import io.df2redis.dragonfly.event.DecodedValue.StreamMeta;
import io.df2redis.dragonfly.event.DecodedValue.StreamValue;
import io.df2redis.dragonfly.event.DecodedValue.StringValue;
import io.df2redis.dragonfly.event.DecodedValue.ZSetValue;
import io.df2redis.dragonfly.event.RdbValue;
import io.df2redis.dragonfly.rdb.RdbType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Encodes whole values the way a current Dragonfly master writes them (protocol doc §5.4): the
 * value bytes that follow the type byte and key of an RDB entry, or that a DUMP payload carries.
 * Compact encodings (intset, listpacks) are chosen under the same size limits as the master's
 * defaults; {@link Options} can force the other encodings or plain list nodes for tests.
 */
public final class ValueEncoder {
    /** Dragonfly's member/field TTL base: 2023-02-01T00:00:00Z in Unix seconds. */
    public static final long MEMBER_EXPIRY_BASE = 1675209600L;

    /**
     * @param maxListpackEntries hashes/zsets with more entries use the hash-table/skiplist types
     * @param maxListpackValue hashes/zsets with a longer field, value or member do too
     * @param maxIntsetEntries integer sets up to this size are intsets
     * @param listNodeBytes listpack node size of a list (Dragonfly: 8 KiB)
     * @param plainNodeBytes list elements at least this long get their own PLAIN node
     * @param streamNodeEntries entries per stream listpack node
     * @param lzfStrings encode strings with LZF when it helps ({@code --compression_mode=1})
     */
    public record Options(int maxListpackEntries, int maxListpackValue, int maxIntsetEntries, int listNodeBytes,
            int plainNodeBytes, int streamNodeEntries, boolean lzfStrings) {
        public static Options defaults() {
            return new Options(128, 64, 512, 8192, Integer.MAX_VALUE, 100, false);
        }

        public Options withLzf(boolean on) {
            return new Options(maxListpackEntries, maxListpackValue, maxIntsetEntries, listNodeBytes, plainNodeBytes,
                    streamNodeEntries, on);
        }

        public Options withPlainNodes(int bytes) {
            return new Options(maxListpackEntries, maxListpackValue, maxIntsetEntries, listNodeBytes, bytes,
                    streamNodeEntries, lzfStrings);
        }
    }

    private final Options options;

    public ValueEncoder(Options options) {
        this.options = options;
    }

    public ValueEncoder() {
        this(Options.defaults());
    }

    /** Encodes a decoded value with the encoding the master would pick. */
    public RdbValue encode(DecodedValue v) {
        if (v instanceof StringValue s) {
            return string(s.bytes());
        }
        if (v instanceof ListValue l) {
            return list(l.elements());
        }
        if (v instanceof SetValue s) {
            return s.expireAtSec() == null ? set(s.members()) : setWithExpiry(s.members(), s.expireAtSec());
        }
        if (v instanceof HashValue h) {
            return h.expireAtSec() == null ? hash(h.fieldsAndValues()) : hashWithExpiry(h.fieldsAndValues(), h.expireAtSec());
        }
        if (v instanceof ZSetValue z) {
            return zset(z.members(), z.scores());
        }
        if (v instanceof StreamValue s) {
            return stream(s.entries(), s.meta());
        }
        if (v instanceof DecodedValue.JsonValue j) {
            RdbWriter w = new RdbWriter(j.text().length + 8);
            return new RdbValue(RdbType.DF_JSON, str(w, j.text()).toByteArray());
        }
        throw new IllegalArgumentException("cannot encode " + v.getClass().getSimpleName());
    }

    public RdbValue string(byte[] s) {
        RdbWriter w = new RdbWriter(s.length + 8);
        return new RdbValue(RdbType.STRING, str(w, s).toByteArray());
    }

    /** LIST_QUICKLIST_2: nodes of listpacks (container 2), elements over the plain limit in PLAIN nodes (1). */
    public RdbValue list(List<byte[]> elements) {
        if (elements.isEmpty()) {
            throw new IllegalArgumentException("the master never writes an empty list");
        }
        List<byte[]> nodes = new ArrayList<>();
        List<Integer> containers = new ArrayList<>();
        List<byte[]> current = new ArrayList<>();
        int currentBytes = 0;
        for (byte[] e : elements) {
            if (e.length >= options.plainNodeBytes()) {
                if (!current.isEmpty()) {
                    nodes.add(ListpackEncoder.encode(current));
                    containers.add(2);
                    current = new ArrayList<>();
                    currentBytes = 0;
                }
                nodes.add(e);
                containers.add(1);
                continue;
            }
            if (!current.isEmpty() && currentBytes + e.length + 11 > options.listNodeBytes()) {
                nodes.add(ListpackEncoder.encode(current));
                containers.add(2);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(e);
            currentBytes += e.length + 11;
        }
        if (!current.isEmpty()) {
            nodes.add(ListpackEncoder.encode(current));
            containers.add(2);
        }
        RdbWriter w = new RdbWriter(currentBytes + 64);
        w.length(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            w.length(containers.get(i));
            if (options.lzfStrings()) {
                w.lzfString(nodes.get(i));
            } else {
                w.rawString(nodes.get(i));
            }
        }
        return new RdbValue(RdbType.LIST_QUICKLIST_2, w.toByteArray());
    }

    /** SET_INTSET when every member is a canonical integer and the set is small, else SET. */
    public RdbValue set(List<byte[]> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("the master never writes an empty set");
        }
        if (members.size() <= options.maxIntsetEntries()) {
            long[] ints = new long[members.size()];
            boolean allInts = true;
            for (int i = 0; i < ints.length && allInts; i++) {
                ints[i] = IntegerText.parseCanonical(members.get(i), 20);
                allInts = ints[i] != IntegerText.NOT_AN_INTEGER;
            }
            if (allInts) {
                return new RdbValue(RdbType.SET_INTSET, new RdbWriter(ints.length * 8 + 16).rawString(IntsetEncoder.encode(ints)).toByteArray());
            }
        }
        RdbWriter w = new RdbWriter(members.size() * 16);
        w.length(members.size());
        for (byte[] m : members) {
            str(w, m);
        }
        return new RdbValue(RdbType.SET, w.toByteArray());
    }

    /** HASH_LISTPACK when small, else HASH. {@code fv} is field, value, field, value… */
    public RdbValue hash(List<byte[]> fv) {
        if (fv.isEmpty() || fv.size() % 2 != 0) {
            throw new IllegalArgumentException("a hash needs field/value pairs");
        }
        if (fv.size() / 2 <= options.maxListpackEntries() && allShort(fv)) {
            return new RdbValue(RdbType.HASH_LISTPACK, new RdbWriter().rawString(ListpackEncoder.encode(fv)).toByteArray());
        }
        RdbWriter w = new RdbWriter(fv.size() * 16);
        w.length(fv.size() / 2);
        for (byte[] b : fv) {
            str(w, b);
        }
        return new RdbValue(RdbType.HASH, w.toByteArray());
    }

    /** ZSET_LISTPACK when small, else ZSET_2; both ordered by (score, member). */
    public RdbValue zset(List<byte[]> members, double[] scores) {
        if (members.isEmpty() || members.size() != scores.length) {
            throw new IllegalArgumentException("a zset needs one score per member");
        }
        Integer[] order = new Integer[members.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Comparator<Integer> byScore = Comparator.comparingDouble(i -> scores[i]);
        Arrays.sort(order, byScore.thenComparing((a, b) -> Arrays.compareUnsigned(members.get(a), members.get(b))));
        if (members.size() <= options.maxListpackEntries() && allShort(members)) {
            List<byte[]> lp = new ArrayList<>(members.size() * 2);
            for (int i : order) {
                lp.add(members.get(i));
                lp.add(scoreText(scores[i]).getBytes(StandardCharsets.US_ASCII));
            }
            return new RdbValue(RdbType.ZSET_LISTPACK, new RdbWriter().rawString(ListpackEncoder.encode(lp)).toByteArray());
        }
        RdbWriter w = new RdbWriter(members.size() * 24);
        w.length(members.size());
        for (int i : order) {
            str(w, members.get(i));
            w.doubleLe(scores[i]);
        }
        return new RdbValue(RdbType.ZSET_2, w.toByteArray());
    }

    /** Dragonfly type 31: field, value, TTL (absolute seconds since the member epoch, or -1). */
    public RdbValue hashWithExpiry(List<byte[]> fv, long[] expireAtSec) {
        if (fv.size() / 2 != expireAtSec.length) {
            throw new IllegalArgumentException("one expiry per field");
        }
        RdbWriter w = new RdbWriter(fv.size() * 16);
        w.length(expireAtSec.length);
        for (int i = 0; i < expireAtSec.length; i++) {
            str(w, fv.get(2 * i));
            str(w, fv.get(2 * i + 1));
            w.string(Long.toString(memberTtl(expireAtSec[i])));
        }
        return new RdbValue(RdbType.DF_HASH_WITH_EXPIRY, w.toByteArray());
    }

    /** Dragonfly type 32: member, TTL (absolute seconds since the member epoch, or -1). */
    public RdbValue setWithExpiry(List<byte[]> members, long[] expireAtSec) {
        if (members.size() != expireAtSec.length) {
            throw new IllegalArgumentException("one expiry per member");
        }
        RdbWriter w = new RdbWriter(members.size() * 16);
        w.length(members.size());
        for (int i = 0; i < members.size(); i++) {
            str(w, members.get(i));
            w.string(Long.toString(memberTtl(expireAtSec[i])));
        }
        return new RdbValue(RdbType.DF_SET_WITH_EXPIRY, w.toByteArray());
    }

    /**
     * STREAM_LISTPACKS_3 (type 21): listpack nodes keyed by their master id, then length, last id,
     * first id, max deleted id, entries added, and the consumer groups with PEL and consumers.
     */
    public RdbValue stream(List<StreamEntry> entries, StreamMeta meta) {
        RdbWriter w = new RdbWriter(256 + entries.size() * 32);
        int per = Math.max(1, options.streamNodeEntries());
        int nodes = (entries.size() + per - 1) / per;
        w.length(nodes);
        for (int n = 0; n < nodes; n++) {
            List<StreamEntry> node = entries.subList(n * per, Math.min(entries.size(), (n + 1) * per));
            StreamId master = node.get(0).id();
            w.rawString(new RdbWriter(16).u64be(master.ms()).u64be(master.seq()).toByteArray());
            w.rawString(streamNode(node, master));
        }
        StreamId last = meta != null ? meta.lastId() : entries.isEmpty() ? StreamId.ZERO : entries.get(entries.size() - 1).id();
        StreamId first = meta != null && meta.firstId() != null ? meta.firstId()
                : entries.isEmpty() ? StreamId.ZERO : entries.get(0).id();
        StreamId maxDeleted = meta != null && meta.maxDeletedId() != null ? meta.maxDeletedId() : StreamId.ZERO;
        long length = meta != null ? meta.length() : entries.size();
        long added = meta != null && meta.entriesAdded() >= 0 ? meta.entriesAdded() : entries.size();
        w.length(length).length(last.ms()).length(last.seq());
        w.length(first.ms()).length(first.seq()).length(maxDeleted.ms()).length(maxDeleted.seq()).length(added);
        List<StreamGroup> groups = meta == null || meta.groups() == null ? List.of() : meta.groups();
        w.length(groups.size());
        for (StreamGroup g : groups) {
            w.string(g.name());
            w.length(g.lastDeliveredId().ms()).length(g.lastDeliveredId().seq());
            w.length(g.entriesRead() < 0 ? 0 : g.entriesRead());
            w.length(g.pending().size());
            for (DecodedValue.PendingEntry p : g.pending()) {
                w.u64be(p.id().ms()).u64be(p.id().seq()).u64le(p.deliveryTimeMs()).length(p.deliveryCount());
            }
            w.length(g.consumers().size());
            for (StreamConsumer c : g.consumers()) {
                w.string(c.name());
                w.u64le(c.seenTimeMs());
                w.u64le(c.activeTimeMs() < 0 ? c.seenTimeMs() : c.activeTimeMs());
                w.length(c.pending().size());
                for (StreamId id : c.pending()) {
                    w.u64be(id.ms()).u64be(id.seq());
                }
            }
        }
        return new RdbValue(RdbType.STREAM_LISTPACKS_3, w.toByteArray());
    }

    /**
     * One stream node: master entry (count, deleted, master fields, 0), then per entry flags,
     * ms/seq deltas to the master id, [field count, fields and values | values when the fields
     * equal the master fields], and the entry's element count.
     */
    private static byte[] streamNode(List<StreamEntry> node, StreamId master) {
        List<byte[]> lp = new ArrayList<>();
        List<byte[]> masterFields = new ArrayList<>();
        List<byte[]> firstFv = node.get(0).fieldsAndValues();
        for (int i = 0; i < firstFv.size(); i += 2) {
            masterFields.add(firstFv.get(i));
        }
        lp.add(num(node.size()));
        lp.add(num(0));
        lp.add(num(masterFields.size()));
        lp.addAll(masterFields);
        lp.add(num(0));
        for (StreamEntry e : node) {
            List<byte[]> fv = e.fieldsAndValues();
            boolean same = fv.size() / 2 == masterFields.size();
            for (int i = 0; same && i < masterFields.size(); i++) {
                same = Arrays.equals(fv.get(2 * i), masterFields.get(i));
            }
            lp.add(num(same ? 2 : 0));
            lp.add(num(e.id().ms() - master.ms()));
            lp.add(num(e.id().seq() - master.seq()));
            if (same) {
                for (int i = 1; i < fv.size(); i += 2) {
                    lp.add(fv.get(i));
                }
                lp.add(num(3 + fv.size() / 2));
            } else {
                lp.add(num(fv.size() / 2));
                lp.addAll(fv);
                lp.add(num(4 + fv.size()));
            }
        }
        return ListpackEncoder.encode(lp);
    }

    /** A score as the master prints it into a listpack: integral values as integers, else shortest round-trip. */
    public static String scoreText(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e17 && !(d == 0 && 1 / d < 0)) {
            return Long.toString((long) d);
        }
        return Double.toString(d).replace('E', 'e');
    }

    private static long memberTtl(long expireAtSec) {
        return expireAtSec < 0 ? -1 : expireAtSec - MEMBER_EXPIRY_BASE;
    }

    private RdbWriter str(RdbWriter w, byte[] s) {
        return options.lzfStrings() ? w.lzfString(s) : w.string(s);
    }

    private boolean allShort(List<byte[]> items) {
        for (byte[] b : items) {
            if (b.length > options.maxListpackValue()) {
                return false;
            }
        }
        return true;
    }

    private static byte[] num(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
}
