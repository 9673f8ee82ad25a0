package io.df2redis.testing.dfsim;

import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/** Dragonfly's key → shard mapping: XXH64(key, seed 120577240643) mod N, over the whole key (no hash tags). */
public final class ShardFunction {
    public static final long SEED = 120577240643L;
    /** Looked up once: the factory's lookup is a synchronized static method, contended across flow threads. */
    private static final XXHash64 HASH = XXHashFactory.fastestJavaInstance().hash64();

    private ShardFunction() {}

    public static int shard(byte[] key, int numShards) {
        long h = HASH.hash(key, 0, key.length, SEED);
        return (int) Long.remainderUnsigned(h, numShards);
    }
}
