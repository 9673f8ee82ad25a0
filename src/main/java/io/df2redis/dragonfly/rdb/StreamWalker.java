package io.df2redis.dragonfly.rdb;

import io.df2redis.dragonfly.event.DecodedValue;
import io.df2redis.dragonfly.event.DecodedValue.PendingEntry;
import io.df2redis.dragonfly.event.DecodedValue.StreamConsumer;
import io.df2redis.dragonfly.event.DecodedValue.StreamEntry;
import io.df2redis.dragonfly.event.DecodedValue.StreamGroup;
import io.df2redis.dragonfly.event.DecodedValue.StreamId;
import io.df2redis.dragonfly.event.DecodedValue.StreamMeta;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams (types 15, 19, 21): {@code len} nodes × (rdbstr 16-byte master id + rdbstr listpack),
 * then length and ids, then consumer groups with their PEL and consumers (protocol doc §5.4). Each
 * node, PEL entry and consumer is one unit, so a stream with a huge PEL still walks in bounded
 * steps; the metadata is kept until the end (it is emitted with the last part).
 */
final class StreamWalker extends ValueWalker {
    private static final int FLAG_DELETED = 1;
    private static final int FLAG_SAMEFIELDS = 2;

    private enum State { NODES, NODE, META, GROUPS, GROUP, PEL, CONSUMERS, CONSUMER, CONSUMER_PEL, DONE }

    private State state = State.NODES;
    private long remaining;
    private List<StreamEntry> entries = new ArrayList<>();

    // metadata
    private long length;
    private StreamId lastId;
    private StreamId firstId;
    private StreamId maxDeletedId;
    private long entriesAdded = -1;
    private long groupsLeft;
    private final List<StreamGroup> groups = new ArrayList<>();
    // group under construction
    private byte[] gName;
    private StreamId gLastId;
    private long gEntriesRead;
    private List<PendingEntry> gPending;
    private List<StreamConsumer> gConsumers;
    private long consumersLeft;
    // consumer under construction
    private byte[] cName;
    private long cSeen;
    private long cActive;
    private List<StreamId> cPending;

    StreamWalker(RdbType type, boolean keep) {
        super(type, keep);
    }

    private boolean v2() {
        return type != RdbType.STREAM_LISTPACKS;
    }

    @Override
    protected boolean step(RdbCursor c) throws RdbFormatException {
        switch (state) {
            case NODES -> {
                remaining = count(c, "a stream node count");
                state = remaining == 0 ? State.META : State.NODE;
            }
            case NODE -> {
                readNode(c);
                if (--remaining == 0) {
                    state = State.META;
                }
            }
            case META -> {
                long len = c.len();
                StreamId last = id(c);
                StreamId first = null;
                StreamId maxDel = null;
                long added = -1;
                if (v2()) {
                    first = id(c);
                    maxDel = id(c);
                    added = c.len();
                }
                long ngroups = count(c, "a consumer group count");
                length = len;
                lastId = last;
                firstId = first;
                maxDeletedId = maxDel;
                entriesAdded = added;
                groupsLeft = ngroups;
                state = ngroups == 0 ? State.DONE : State.GROUP;
            }
            case GROUP -> {
                byte[] name = c.string();
                StreamId last = id(c);
                long read = v2() ? c.len() : -1;
                long pel = count(c, "a PEL size");
                gName = name;
                gLastId = last;
                gEntriesRead = read;
                gPending = new ArrayList<>();
                gConsumers = new ArrayList<>();
                remaining = pel;
                state = pel == 0 ? State.CONSUMERS : State.PEL;
            }
            case PEL -> {
                StreamId pid = rawId(c);
                long deliveryTime = c.i64le();
                long deliveryCount = c.len();
                if (keep) {
                    gPending.add(new PendingEntry(pid, deliveryTime, deliveryCount));
                }
                if (--remaining == 0) {
                    state = State.CONSUMERS;
                }
            }
            case CONSUMERS -> {
                consumersLeft = count(c, "a consumer count");
                if (consumersLeft == 0) {
                    endGroup();
                } else {
                    state = State.CONSUMER;
                }
            }
            case CONSUMER -> {
                byte[] name = c.string();
                long seen = c.i64le();
                long active = type == RdbType.STREAM_LISTPACKS_3 ? c.i64le() : -1;
                long pel = count(c, "a consumer PEL size");
                cName = name;
                cSeen = seen;
                cActive = active;
                cPending = new ArrayList<>();
                remaining = pel;
                if (pel == 0) {
                    endConsumer();
                } else {
                    state = State.CONSUMER_PEL;
                }
            }
            case CONSUMER_PEL -> {
                StreamId pid = rawId(c);
                if (keep) {
                    cPending.add(pid);
                }
                if (--remaining == 0) {
                    endConsumer();
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
        return state == State.DONE;
    }

    private void endConsumer() {
        if (keep) {
            gConsumers.add(new StreamConsumer(cName, cSeen, cActive, cPending));
        }
        state = --consumersLeft == 0 ? State.GROUPS : State.CONSUMER;
        if (state == State.GROUPS) {
            endGroup();
        }
    }

    private void endGroup() {
        if (keep) {
            groups.add(new StreamGroup(gName, gLastId, gEntriesRead, gPending, gConsumers));
        }
        state = --groupsLeft == 0 ? State.DONE : State.GROUP;
    }

    private static long count(RdbCursor c, String what) throws RdbFormatException {
        long at = c.offset();
        long n = c.len();
        if (n < 0) {
            throw new RdbFormatException(what + " (got " + Long.toUnsignedString(n) + ")", at);
        }
        return n;
    }

    private static StreamId id(RdbCursor c) throws RdbFormatException {
        long ms = c.len();
        long seq = c.len();
        return new StreamId(ms, seq);
    }

    private static StreamId rawId(RdbCursor c) {
        long ms = c.u64be();
        long seq = c.u64be();
        return new StreamId(ms, seq);
    }

    /** One node: master id + listpack, validated as Redis's streamValidateListpackIntegrity does. */
    private void readNode(RdbCursor c) throws RdbFormatException {
        long at = c.offset();
        byte[] master = c.string();
        if (master.length != 16) {
            throw new RdbFormatException("a 16-byte stream node id (got " + master.length + " bytes)", at);
        }
        long lpAt = c.offset();
        c.stringSlice();
        byte[] a = c.sliceArray;
        int off = c.sliceOff;
        int n = Listpack.validate(a, off, c.sliceLen, lpAt);
        if (n == 0) {
            throw new RdbFormatException("a non-empty stream listpack", lpAt);
        }
        long masterMs = RdbBytes.u64be(master, 0);
        long masterSeq = RdbBytes.u64be(master, 8);
        List<StreamEntry> out = keep ? entries : null;
        parseNode(a, off, n, masterMs, masterSeq, out, lpAt);
    }

    private static void parseNode(byte[] a, int off, int n, long masterMs, long masterSeq, List<StreamEntry> out, long at)
            throws RdbFormatException {
        Listpack.Reader r = new Listpack.Reader(a, off);
        int[] left = {n};
        long count = nextLong(r, left, at);
        long deleted = nextLong(r, left, at);
        long masterFieldCount = nextLong(r, left, at);
        if (masterFieldCount < 0 || masterFieldCount > left[0]) {
            throw new RdbFormatException("a stream master field count", at);
        }
        List<byte[]> masterFields = new ArrayList<>((int) masterFieldCount);
        for (long i = 0; i < masterFieldCount; i++) {
            nextEntry(r, left, at);
            masterFields.add(r.bytes());
        }
        if (nextLong(r, left, at) != 0) {
            throw new RdbFormatException("the stream master entry terminator 0", at);
        }
        long total = count + deleted;
        long seenValid = 0;
        for (long e = 0; e < total; e++) {
            long flags = nextLong(r, left, at);
            long msDiff = nextLong(r, left, at);
            long seqDiff = nextLong(r, left, at);
            List<byte[]> fv;
            int lpCount;
            if ((flags & FLAG_SAMEFIELDS) != 0) {
                fv = new ArrayList<>(masterFields.size() * 2);
                for (byte[] f : masterFields) {
                    nextEntry(r, left, at);
                    fv.add(f);
                    fv.add(r.bytes());
                }
                lpCount = masterFields.size();
            } else {
                long nf = nextLong(r, left, at);
                if (nf < 0 || nf * 2 > left[0]) {
                    throw new RdbFormatException("a stream entry field count", at);
                }
                fv = new ArrayList<>((int) nf * 2);
                for (long i = 0; i < nf * 2; i++) {
                    nextEntry(r, left, at);
                    fv.add(r.bytes());
                }
                lpCount = (int) (nf * 2 + 1);
            }
            long lp = nextLong(r, left, at);
            if (lp != lpCount + 3) {
                throw new RdbFormatException("stream entry lp-count " + (lpCount + 3) + " (got " + lp + ")", at);
            }
            if ((flags & FLAG_DELETED) == 0) {
                seenValid++;
                if (out != null) {
                    out.add(new StreamEntry(new StreamId(masterMs + msDiff, masterSeq + seqDiff), fv));
                }
            }
        }
        if (left[0] != 0) {
            throw new RdbFormatException("a stream listpack with " + total + " entries (extra data)", at);
        }
        if (seenValid != count) {
            throw new RdbFormatException("stream node valid count " + count + " (found " + seenValid + ")", at);
        }
    }

    private static void nextEntry(Listpack.Reader r, int[] left, long at) throws RdbFormatException {
        if (left[0]-- <= 0 || !r.next()) {
            throw new RdbFormatException("more entries in the stream listpack", at);
        }
    }

    private static long nextLong(Listpack.Reader r, int[] left, long at) throws RdbFormatException {
        nextEntry(r, left, at);
        return r.asLong(at);
    }

    @Override
    public int batchSize() {
        return entries.size();
    }

    @Override
    public DecodedValue takeBatch(boolean last) {
        List<StreamEntry> out = entries;
        entries = new ArrayList<>();
        StreamMeta meta = last
                ? new StreamMeta(length, lastId, firstId, maxDeletedId, entriesAdded, List.copyOf(groups))
                : null;
        return new DecodedValue.StreamValue(out, meta);
    }

    @Override
    public boolean empty() {
        return false;
    }
}
