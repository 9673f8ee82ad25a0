package io.df2redis.redis;

import redis.clients.jedis.util.JedisClusterCRC16;

/** Redis Cluster hash slots: CRC16 of the key, or of its hash tag ({@code {tag}}). */
public final class Slots {
    public static final int COUNT = 16384;

    private Slots() {}

    public static int slot(byte[] key) {
        return JedisClusterCRC16.getSlot(key);
    }
}
