package io.df2redis.translate;

import io.df2redis.testing.redis.RedisClusterProcesses;
import io.df2redis.testing.redis.RedisServerProcess;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * INCRBYFLOAT / HINCRBYFLOAT replayed on a real redis-server end with Dragonfly's text, byte for
 * byte (Redis's own INCRBYFLOAT would print long-double results).
 */
@Timeout(120)
class FloatIncrementRedisTest {
    static RedisServerProcess redis;
    Harness h;
    Jedis j;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServerProcess.builder().start();
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void setUp() {
        h = new Harness(TranslateConfig.builder().build(), TargetProfile.redis70(false),
                JedisTargetIo.standalone(redis.host(), redis.port()));
        j = TestRedis.jedis(redis);
        j.flushAll();
    }

    @org.junit.jupiter.api.AfterEach
    void tearDown() {
        h.close();
        j.close();
    }

    @Test
    void repeatedIncrementsOfPointOneGiveDragonflysText() {
        double df = 0;
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            h.run("INCRBYFLOAT", "k", "0.1");
            df += 0.1;
            expected.add(DragonflyDoubles.format(df));
            actual.add(j.get("k"));
        }
        assertThat(actual).isEqualTo(expected);
        // the point of the translation: Redis's own command would print 0.3 here
        assertThat(actual.get(2)).isEqualTo("0.30000000000000004");
        assertThat(actual.get(9)).isEqualTo("0.9999999999999999");
        j.set("plain", "0");
        for (int i = 0; i < 3; i++) {
            j.incrByFloat("plain", 0.1);
        }
        assertThat(j.get("plain")).isEqualTo("0.3");
    }

    @Test
    void dragonflysFormatVectorsAndTtlKept() {
        String[][] cases = {
            {"0.0000001", "0", "1e-7"},
            {"111111111111111111111", "0", "111111111111111110000"},
            {"1111111111111111111111", "0", "1.1111111111111111e+21"},
            {"1e-23", "0", "1e-23"},
            {"-0.5", "0.5", "0"},
            {"10.5", "1.1", "11.6"},
            {"5", "1e300", "1e+300"},
        };
        for (String[] c : cases) {
            j.set("v", c[0]);
            h.run("INCRBYFLOAT", "v", c[1]);
            assertThat(j.get("v")).as("%s + %s", c[0], c[1]).isEqualTo(c[2]);
        }
        j.set("t", "1.5");
        j.pexpireAt("t", System.currentTimeMillis() + 3_600_000);
        long at = j.pexpireTime("t");
        h.run("INCRBYFLOAT", "t", "0.25");
        assertThat(j.get("t")).isEqualTo("1.75");
        assertThat(j.pexpireTime("t")).isEqualTo(at);
        h.run("INCRBYFLOAT", "new", "2.50");
        assertThat(j.get("new")).isEqualTo("2.5");
    }

    @Test
    void randomSumsMatchTheOracle() {
        Random rnd = new Random(42);
        for (int i = 0; i < 300; i++) {
            double a = (rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(40) - 20);
            double b = (rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(40) - 20);
            String as = DragonflyDoubles.format(a);
            String bs = Double.toString(b);
            j.set("r", as);
            h.run("INCRBYFLOAT", "r", bs);
            double sum = Double.parseDouble(as) + Double.parseDouble(bs);
            assertThat(j.get("r")).as("%s + %s", as, bs).isEqualTo(DragonflyDoubles.format(sum));
        }
        // any double at all (random bit patterns)
        for (int i = 0; i < 1000; i++) {
            double x = Double.longBitsToDouble(rnd.nextLong());
            if (Double.isNaN(x) || Double.isInfinite(x)) {
                continue;
            }
            j.set("b", "0");
            h.run("INCRBYFLOAT", "b", Double.toString(x));
            assertThat(j.get("b")).as("bits %x", Double.doubleToRawLongBits(x)).isEqualTo(DragonflyDoubles.format(x));
        }
        // exact powers of two: the shortest form may lie on the far side of the rounding interval
        for (int e = -60; e <= 80; e++) {
            double x = Math.scalb(1.0, e);
            j.set("p", "0");
            h.run("INCRBYFLOAT", "p", Double.toString(x));
            assertThat(j.get("p")).as("2^%d", e).isEqualTo(DragonflyDoubles.format(x));
        }
    }

    @Test
    void hashFieldIncrementsToo() {
        j.hset("h", "fl", "1.5");
        h.run("HINCRBYFLOAT", "h", "fl", "0.25");
        assertThat(j.hget("h", "fl")).isEqualTo("1.75");
        double df = 0;
        for (int i = 0; i < 10; i++) {
            h.run("HINCRBYFLOAT", "h", "acc", "0.1");
            df += 0.1;
        }
        assertThat(j.hget("h", "acc")).isEqualTo(DragonflyDoubles.format(df)).isEqualTo("0.9999999999999999");
    }
}
