package io.df2redis.testing.benchmaster;

import io.df2redis.translate.DragonflySharding;
import java.nio.charset.StandardCharsets;

/**
 * The benchmark dataset, computed from indexes instead of held: key {@code i} is {@code key:%010d},
 * its value is {@code valueBytes} bytes derived from (i, generation). Generation 0 is the seeded
 * value; stable write {@code j} (0, 1, 2, …) sets key {@code j % keys} to its next generation, so
 * the value of any key after any number of writes can be recomputed to verify a target cheaply.
 *
 * <p>Values start with {@code <index>:<generation>:} and 16 hex digits of a hash of both, then a
 * fixed phrase shifted by the index: about half the bytes repeat across keys, so LZ4 blobs of many
 * entries compress roughly like ordinary application values do.
 */
public final class BenchData {
    public static final int KEY_DIGITS = 10;
    public static final long MAX_KEYS = 10_000_000_000L;
    private static final byte[] KEY_PREFIX = "key:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PHRASE =
            "-the-quick-brown-dragonfly-jumps-over-the-lazy-redis-replica-0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final long keys;
    private final int valueBytes;
    private final long seed;

    public BenchData(long keys, int valueBytes, long seed) {
        if (keys < 1 || keys > MAX_KEYS) {
            throw new IllegalArgumentException("keys must be in [1, " + MAX_KEYS + "]: " + keys);
        }
        if (valueBytes < 1) {
            throw new IllegalArgumentException("value bytes must be at least 1: " + valueBytes);
        }
        this.keys = keys;
        this.valueBytes = valueBytes;
        this.seed = seed;
    }

    public long keys() {
        return keys;
    }

    public int valueBytes() {
        return valueBytes;
    }

    public long seed() {
        return seed;
    }

    public static int keyLength() {
        return KEY_PREFIX.length + KEY_DIGITS;
    }

    /** Writes key {@code i} into {@code buf[0, keyLength())}. */
    public static void keyInto(long i, byte[] buf) {
        System.arraycopy(KEY_PREFIX, 0, buf, 0, KEY_PREFIX.length);
        long v = i;
        for (int p = KEY_PREFIX.length + KEY_DIGITS - 1; p >= KEY_PREFIX.length; p--) {
            buf[p] = (byte) ('0' + v % 10);
            v /= 10;
        }
    }

    public static byte[] key(long i) {
        byte[] k = new byte[keyLength()];
        keyInto(i, k);
        return k;
    }

    /** The Dragonfly shard (= flow) of key {@code i}. */
    public static int shardOf(long i, int flows) {
        return DragonflySharding.DEFAULT.shard(key(i), flows);
    }

    /** Writes the value of key {@code i} at {@code generation} into {@code buf[0, valueBytes)}. */
    public void valueInto(long i, long generation, byte[] buf) {
        int p = 0;
        p = decimal(i, buf, p);
        p = put(buf, p, (byte) ':');
        p = decimal(generation, buf, p);
        p = put(buf, p, (byte) ':');
        long h = mix(seed ^ mix(i * 0x9E3779B97F4A7C15L + generation));
        for (int s = 60; s >= 0 && p < valueBytes; s -= 4) {
            buf[p++] = HEX[(int) (h >>> s) & 15];
        }
        int shift = (int) (i % PHRASE.length);
        while (p < valueBytes) {
            // buf[p] = PHRASE[(p + shift) % PHRASE.length], a phrase-long run at a time
            int from = (p + shift) % PHRASE.length;
            int n = Math.min(valueBytes - p, PHRASE.length - from);
            System.arraycopy(PHRASE, from, buf, p, n);
            p += n;
        }
    }

    public byte[] value(long i, long generation) {
        byte[] v = new byte[valueBytes];
        valueInto(i, generation, v);
        return v;
    }

    /** The key stable write {@code j} sets. */
    public long keyOfWrite(long j) {
        return j % keys;
    }

    /** The generation stable write {@code j} gives its key. */
    public long generationOfWrite(long j) {
        return j / keys + 1;
    }

    /** Key {@code i}'s generation once writes {@code 0 … writes-1} are applied. */
    public long generationAfter(long i, long writes) {
        return writes <= i ? 0 : (writes - 1 - i) / keys + 1;
    }

    private int decimal(long v, byte[] buf, int p) {
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        for (int d = digits - 1; d >= 0; d--) {
            if (p + d < valueBytes) {
                buf[p + d] = (byte) ('0' + v % 10);
            }
            v /= 10;
        }
        return Math.min(valueBytes, p + digits);
    }

    private int put(byte[] buf, int p, byte b) {
        if (p < valueBytes) {
            buf[p++] = b;
        }
        return p;
    }

    /** SplitMix64's finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
