package io.df2redis.testing.dfsim;

import net.jpountz.xxhash.XXHashFactory;

/** Dragonfly's key → shard mapping: XXH64(key, seed 120577240643) mod N, over the whole key (no hash tags). */
public final class ShardFunction {
    public static final long SEED = 120577240643L;

    private ShardFunction() {}

    public static int shard(byte[] key, int numShards) {
        long h = XXHashFactory.fastestJavaInstance().hash64().hash(key, 0, key.length, SEED);
        return (int) Long.remainderUnsigned(h, numShards);
    }
}
