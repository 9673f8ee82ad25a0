package io.df2redis.dragonfly.rdb;

import io.df2redis.dragonfly.event.DecodedValue;

/**
 * Walks one encoded value unit by unit (a count, an element, a listpack, a stream consumer, …) and
 * can stop between any two units and resume later with more bytes: this is what lets the stream
 * parser hold a value whole, stream it in parts, or decode it from tagged chunks, with one
 * description of each layout. With {@code keep} the walker collects the decoded elements of the
 * units it walked, handed out by {@link #takeBatch(boolean)}; without, it only checks structure.
 *
 * <p>Every unit is atomic: if its bytes are not all in the window, {@link #walk} rewinds to the
 * unit's start and throws {@link Underflow}; the cursor's {@link RdbCursor#needEnd()} says how far
 * the window must reach for that unit.
 */
public abstract class ValueWalker {
    /** Dragonfly's member-TTL epoch (2023-02-01T00:00:00Z) in Unix seconds. */
    public static final long MEMBER_EXPIRY_BASE = 1675209600L;

    protected final RdbType type;
    protected final boolean keep;
    private boolean done;

    protected ValueWalker(RdbType type, boolean keep) {
        this.type = type;
        this.keep = keep;
    }

    public RdbType type() {
        return type;
    }

    /**
     * Walks from the cursor's position.
     *
     * @return true once the value is complete
     * @throws Underflow when the next unit is not complete in the window (cursor rewound to it)
     */
    public final boolean walk(RdbCursor c) throws RdbFormatException {
        return walk(c, Integer.MAX_VALUE);
    }

    /**
     * Walks until the value is complete or the kept batch holds {@code batchLimit} elements (a unit
     * can hold many: a listpack node; the batch then ends up to one unit over the limit).
     *
     * @return true once the value is complete, false when the batch is full first
     * @throws Underflow when the next unit is not complete in the window (cursor rewound to it)
     */
    public final boolean walk(RdbCursor c, int batchLimit) throws RdbFormatException {
        while (!done) {
            if (batchSize() >= batchLimit) {
                return false;
            }
            int mark = c.pos();
            try {
                done = step(c);
            } catch (Underflow u) {
                c.pos(mark);
                throw u;
            }
        }
        return true;
    }

    public boolean done() {
        return done;
    }

    /** Reads one unit. Must not change the walker's state unless the whole unit was read. */
    protected abstract boolean step(RdbCursor c) throws RdbFormatException;

    /** Elements collected (with {@code keep}) since the last {@link #takeBatch}. */
    public abstract int batchSize();

    /**
     * The elements collected since the last call, as one value or part. {@code last} is true for
     * the final part (streams then carry their metadata).
     */
    public abstract DecodedValue takeBatch(boolean last);

    /**
     * Whether the value decodes into elements (false for probabilistic types and modules other than
     * RedisJSON, which are kept encoded). Known once the walker read the value's first unit.
     */
    public boolean decodable() {
        return true;
    }

    /** Once done: the value has no elements (an empty collection, which loaders skip). */
    public abstract boolean empty();

    /** Member/field TTL of types 31/32: -1 stays -1, else seconds since the member epoch. */
    protected static long memberExpiry(long ttl) {
        return ttl == -1 ? -1 : ttl + MEMBER_EXPIRY_BASE;
    }

    /** The walker for a value of {@code type}. */
    public static ValueWalker forType(RdbType type, boolean keep) {
        switch (type) {
            case STRING:
            case DF_JSON:
            case DF_JSON_LEGACY:
                return new StringWalker(type, keep);
            case LIST:
            case SET:
            case HASH:
            case ZSET:
            case ZSET_2:
            case DF_HASH_WITH_EXPIRY:
            case DF_SET_WITH_EXPIRY:
                return new ElementsWalker(type, keep);
            case LIST_QUICKLIST:
            case LIST_QUICKLIST_2:
                return new QuicklistWalker(type, keep);
            case HASH_ZIPMAP:
            case LIST_ZIPLIST:
            case SET_INTSET:
            case ZSET_ZIPLIST:
            case HASH_ZIPLIST:
            case HASH_LISTPACK:
            case ZSET_LISTPACK:
            case SET_LISTPACK:
                return new CompactBlobWalker(type, keep);
            case STREAM_LISTPACKS:
            case STREAM_LISTPACKS_2:
            case STREAM_LISTPACKS_3:
                return new StreamWalker(type, keep);
            case MODULE_2:
                return new ModuleWalker(type, keep);
            case DF_SBF:
            case DF_SBF2:
            case DF_CMS:
            case DF_TOPK:
            case DF_CUCKOO:
                return new ProbabilisticWalker(type);
            default:
                throw new IllegalArgumentException("no walker for " + type);
        }
    }
}
