package io.df2redis.dragonfly.rdb;

import io.df2redis.dragonfly.event.DecodedValue;

/**
 * Lists as quicklists: type 14 ({@code len} nodes × rdbstr ziplist) and type 18 ({@code len} nodes
 * × ({@code len} container: 1 = PLAIN one element, 2 = PACKED listpack) + rdbstr). Node strings may
 * be LZF-compressed. Every node is validated; empty nodes are skipped, as Redis does.
 */
final class QuicklistWalker extends ValueWalker {
    private static final int PLAIN = 1;
    private static final int PACKED = 2;

    private long remaining = -1;
    private long elements;
    private final ByteList batch = new ByteList();

    QuicklistWalker(RdbType type, boolean keep) {
        super(type, keep);
    }

    @Override
    protected boolean step(RdbCursor c) throws RdbFormatException {
        if (remaining < 0) {
            long n = c.len();
            if (n < 0) {
                throw new RdbFormatException("a node count", c.offset());
            }
            remaining = n;
            return n == 0;
        }
        int container = PACKED;
        long at = c.offset();
        if (type == RdbType.LIST_QUICKLIST_2) {
            long k = c.len();
            if (k != PLAIN && k != PACKED) {
                throw new RdbFormatException("quicklist container 1 (plain) or 2 (packed) (got " + k + ")", at);
            }
            container = (int) k;
        }
        long blobAt = c.offset();
        c.stringSlice();
        byte[] a = c.sliceArray;
        int off = c.sliceOff;
        int len = c.sliceLen;
        if (container == PLAIN) {
            if (keep) {
                batch.add(a == c.array() ? java.util.Arrays.copyOfRange(a, off, off + len) : a);
            }
            elements++;
        } else if (type == RdbType.LIST_QUICKLIST) {
            elements += Ziplist.validate(a, off, len, blobAt);
            if (keep) {
                Ziplist.Reader r = new Ziplist.Reader(a, off);
                while (r.next()) {
                    batch.add(r.bytes());
                }
            }
        } else {
            elements += Listpack.validate(a, off, len, blobAt);
            if (keep) {
                Listpack.Reader r = new Listpack.Reader(a, off);
                while (r.next()) {
                    batch.add(r.bytes());
                }
            }
        }
        return --remaining == 0;
    }

    @Override
    public int batchSize() {
        return batch.items.size();
    }

    @Override
    public DecodedValue takeBatch(boolean last) {
        return new DecodedValue.ListValue(batch.takeItems());
    }

    @Override
    public boolean empty() {
        return elements == 0;
    }
}
