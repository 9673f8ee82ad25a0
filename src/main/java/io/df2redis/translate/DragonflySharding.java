package io.df2redis.translate;

import io.df2redis.redis.Slots;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Dragonfly's key → shard function ({@code sharding.cc: Shard}), which tells which flow owns a key.
 * The flow of shard {@code i} carries the writes of shard {@code i}'s keys only, except for stray
 * copies such as a cross-shard PFMERGE's {@code SET dest} (journal-rewrites flows 2 and 3), which
 * the splitter drops by checking ownership with this function.
 */
public enum DragonflySharding {
    /** The default: XXH64 of the whole key with seed 120577240643, modulo the shard count. */
    XXH64,
    /**
     * {@code --lock_on_hashtags} (or an emulated cluster): XXH64 of the {@code {tag}} when the key
     * has a non-empty one, else of the whole key.
     */
    HASH_TAG,
    /** {@code --cluster_shard_by_slot}: the Redis Cluster slot modulo the shard count. */
    CLUSTER_SLOT;

    public static final DragonflySharding DEFAULT = XXH64;

    static final long SEED = 120577240643L;
    private static final XXHash64 HASH = XXHashFactory.fastestJavaInstance().hash64();

    /** The shard (= flow id) that owns {@code key} on a master with {@code shardCount} shards. */
    public int shard(byte[] key, int shardCount) {
        if (this == CLUSTER_SLOT) {
            return Slots.slot(key) % shardCount;
        }
        int off = 0;
        int len = key.length;
        if (this == HASH_TAG) {
            int open = indexOf(key, (byte) '{', 0);
            if (open >= 0) {
                int close = indexOf(key, (byte) '}', open + 1);
                if (close > open + 1) {
                    off = open + 1;
                    len = close - open - 1;
                }
            }
        }
        return (int) Long.remainderUnsigned(HASH.hash(key, off, len, SEED), shardCount);
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
