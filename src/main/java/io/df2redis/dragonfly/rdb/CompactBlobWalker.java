package io.df2redis.dragonfly.rdb;

import io.df2redis.dragonfly.event.DecodedValue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Values stored as one compact blob in one rdbstr: zipmap hash (9), ziplist list/zset/hash (10,
 * 12, 13), intset (11), listpack hash/zset/set (16, 17, 20). Validated like Redis's deep integrity
 * check, including even pair counts and no duplicate hash fields / zset or set members.
 */
final class CompactBlobWalker extends ValueWalker {
    private int count = -1;
    private final ByteList batch = new ByteList();
    private int batchCount;

    CompactBlobWalker(RdbType type, boolean keep) {
        super(type, keep);
    }

    @Override
    protected boolean step(RdbCursor c) throws RdbFormatException {
        long at = c.offset();
        c.stringSlice();
        byte[] a = c.sliceArray;
        int off = c.sliceOff;
        int len = c.sliceLen;
        List<byte[]> items = new ArrayList<>();
        switch (type) {
            case HASH_ZIPMAP -> count = Zipmap.decode(a, off, len, items, at);
            case SET_INTSET -> count = Intset.decode(a, off, len, items, at);
            case LIST_ZIPLIST -> {
                count = Ziplist.validate(a, off, len, at);
                Ziplist.Reader r = new Ziplist.Reader(a, off);
                while (r.next()) {
                    items.add(r.bytes());
                }
            }
            case HASH_ZIPLIST, ZSET_ZIPLIST -> {
                int n = Ziplist.validate(a, off, len, at);
                pairsFromZiplist(a, off, n, items, at);
                count = n / 2;
            }
            case HASH_LISTPACK, ZSET_LISTPACK -> {
                int n = Listpack.validate(a, off, len, at);
                pairsFromListpack(a, off, n, items, at);
                count = n / 2;
            }
            case SET_LISTPACK -> {
                count = Listpack.validate(a, off, len, at);
                Listpack.Reader r = new Listpack.Reader(a, off);
                while (r.next()) {
                    items.add(r.bytes());
                }
                checkUnique(items, 1, at);
            }
            default -> throw new IllegalStateException(type.name());
        }
        if (type == RdbType.HASH_ZIPMAP) {
            checkUnique(items, 2, at);
        }
        if (keep) {
            batch.items.addAll(items);
            batchCount += count;
        }
        return true;
    }

    private void pairsFromZiplist(byte[] a, int off, int n, List<byte[]> items, long at) throws RdbFormatException {
        if (n % 2 != 0) {
            throw new RdbFormatException("an even number of ziplist entries (got " + n + ")", at);
        }
        Ziplist.Reader r = new Ziplist.Reader(a, off);
        boolean zset = type == RdbType.ZSET_ZIPLIST;
        while (r.next()) {
            items.add(r.bytes());
            r.next();
            if (zset) {
                batchDouble(r.asDouble(at));
            } else {
                items.add(r.bytes());
            }
        }
        checkUnique(items, zset ? 1 : 2, at);
    }

    private void pairsFromListpack(byte[] a, int off, int n, List<byte[]> items, long at) throws RdbFormatException {
        if (n % 2 != 0) {
            throw new RdbFormatException("an even number of listpack entries (got " + n + ")", at);
        }
        Listpack.Reader r = new Listpack.Reader(a, off);
        boolean zset = type == RdbType.ZSET_LISTPACK;
        while (r.next()) {
            items.add(r.bytes());
            r.next();
            if (zset) {
                batchDouble(r.asDouble(at));
            } else {
                items.add(r.bytes());
            }
        }
        checkUnique(items, zset ? 1 : 2, at);
    }

    private void batchDouble(double d) {
        if (keep) {
            batch.addDouble(d);
        }
    }

    /** Redis refuses duplicate hash fields / set or zset members in compact encodings. */
    private static void checkUnique(List<byte[]> items, int stride, long at) throws RdbFormatException {
        int n = items.size() / stride;
        if (n < 2) {
            return;
        }
        Set<ByteBuffer> seen = new HashSet<>(n * 2);
        for (int i = 0; i < items.size(); i += stride) {
            if (!seen.add(ByteBuffer.wrap(items.get(i)))) {
                throw new RdbFormatException("unique members (duplicate \"" + RdbBytes.printable(items.get(i)) + "\")", at);
            }
        }
    }

    @Override
    public int batchSize() {
        return batchCount;
    }

    @Override
    public DecodedValue takeBatch(boolean last) {
        batchCount = 0;
        return switch (type) {
            case LIST_ZIPLIST -> new DecodedValue.ListValue(batch.takeItems());
            case SET_INTSET, SET_LISTPACK -> new DecodedValue.SetValue(batch.takeItems(), null);
            case HASH_ZIPMAP, HASH_ZIPLIST, HASH_LISTPACK -> new DecodedValue.HashValue(batch.takeItems(), null);
            case ZSET_ZIPLIST, ZSET_LISTPACK -> new DecodedValue.ZSetValue(batch.takeItems(), batch.takeDoubles());
            default -> throw new IllegalStateException(type.name());
        };
    }

    @Override
    public boolean empty() {
        return count == 0;
    }
}
