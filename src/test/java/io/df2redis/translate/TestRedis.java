package io.df2redis.translate;

import io.df2redis.testing.redis.RedisServerProcess;
import redis.clients.jedis.Jedis;

/** A plain Jedis connection to one of the harness's servers, for setting up and checking state. */
final class TestRedis {
    private TestRedis() {}

    static Jedis jedis(RedisServerProcess server) {
        return new Jedis(server.host(), server.port());
    }
}
