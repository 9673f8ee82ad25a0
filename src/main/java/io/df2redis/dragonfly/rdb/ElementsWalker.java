package io.df2redis.dragonfly.rdb;

import io.df2redis.dragonfly.event.DecodedValue;

/**
 * Values laid out as {@code len n} then n tuples of rdbstr / score / TTL fields: plain list (1),
 * set (2), hash (4), zset with string (3) or binary (5) scores, and Dragonfly's hash and set with
 * member TTLs (31, 32).
 */
final class ElementsWalker extends ValueWalker {
    private long remaining = -1;
    private long total;
    private final ByteList batch = new ByteList();
    private int batchCount;

    ElementsWalker(RdbType type, boolean keep) {
        super(type, keep);
    }

    @Override
    protected boolean step(RdbCursor c) throws RdbFormatException {
        if (remaining < 0) {
            long n = c.len();
            if (n < 0) {
                throw new RdbFormatException("an element count (got " + Long.toUnsignedString(n) + ")", c.offset());
            }
            remaining = n;
            total = n;
            return n == 0;
        }
        if (keep) {
            readKept(c);
        } else {
            skipOne(c);
        }
        return --remaining == 0;
    }

    private void skipOne(RdbCursor c) throws RdbFormatException {
        c.skipString();
        switch (type) {
            case HASH -> c.skipString();
            case ZSET -> {
                int n = c.u8();
                if (n < 253) {
                    c.skip(n);
                }
            }
            case ZSET_2 -> c.skip(8);
            case DF_HASH_WITH_EXPIRY -> {
                c.skipString();
                c.skipString();
            }
            case DF_SET_WITH_EXPIRY -> c.skipString();
            default -> {}
        }
    }

    private void readKept(RdbCursor c) throws RdbFormatException {
        byte[] first = c.string();
        switch (type) {
            case LIST, SET -> batch.add(first);
            case HASH -> {
                byte[] v = c.string();
                batch.add(first);
                batch.add(v);
            }
            case ZSET -> {
                double d = c.stringDouble();
                batch.add(first);
                batch.addDouble(d);
            }
            case ZSET_2 -> {
                double d = c.binaryDouble();
                batch.add(first);
                batch.addDouble(d);
            }
            case DF_HASH_WITH_EXPIRY -> {
                byte[] v = c.string();
                long ttl = c.decimalString("a field TTL");
                batch.add(first);
                batch.add(v);
                batch.addLong(memberExpiry(ttl));
            }
            case DF_SET_WITH_EXPIRY -> {
                long ttl = c.decimalString("a member TTL");
                batch.add(first);
                batch.addLong(memberExpiry(ttl));
            }
            default -> throw new IllegalStateException(type.name());
        }
        batchCount++;
    }

    @Override
    public int batchSize() {
        return batchCount;
    }

    @Override
    public DecodedValue takeBatch(boolean last) {
        batchCount = 0;
        return switch (type) {
            case LIST -> new DecodedValue.ListValue(batch.takeItems());
            case SET -> new DecodedValue.SetValue(batch.takeItems(), null);
            case HASH -> new DecodedValue.HashValue(batch.takeItems(), null);
            case ZSET, ZSET_2 -> new DecodedValue.ZSetValue(batch.takeItems(), batch.takeDoubles());
            case DF_HASH_WITH_EXPIRY -> new DecodedValue.HashValue(batch.takeItems(), batch.takeLongs());
            case DF_SET_WITH_EXPIRY -> new DecodedValue.SetValue(batch.takeItems(), batch.takeLongs());
            default -> throw new IllegalStateException(type.name());
        };
    }

    @Override
    public boolean empty() {
        return total == 0;
    }
}
