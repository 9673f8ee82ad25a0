package io.df2redis.bench;

import io.df2redis.dragonfly.rdb.Crc64;
import io.df2redis.redis.RedisCommand;
import io.df2redis.redis.RedisTarget;
import io.df2redis.redis.RedisWriter;
import io.df2redis.redis.WriterConfig;
import io.df2redis.testing.redis.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The writer's throughput, the same workload as {@code redis-benchmark -P 64 -c 8 -t set -d 100}:
 * SET of 100-byte values ({@code x}…), one key ({@code key:__rand_int__}, as redis-benchmark without
 * {@code -r}) or random keys {@code key:%012d} below {@code keys} (as with {@code -r keys}); or
 * {@code RESTORE key 0 <DUMP of the same value> REPLACE}. Keys are made per command, as the
 * translation layer will make them. One invocation = 100 000 commands, then a flush.
 *
 * <p>{@code target}: a {@code redis://} URL (standalone or cluster, detected); empty = start a
 * redis-server here. Run through {@code benchmarks/writer-vs-redis-benchmark.sh} to get the ceiling
 * of the same machine in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 10)
public class WriterThroughputBenchmark {
    static final int PER_INVOCATION = 100_000;

    @Param({""})
    public String target;

    @Param({"SET", "RESTORE"})
    public String command;

    /** 1 = a single key; otherwise random keys below this. */
    @Param({"1000000"})
    public int keys;

    @Param({"1"})
    public int connections;

    private RedisServerProcess own;
    private RedisWriter writer;
    private SplittableRandom random;
    private byte[] value;
    private byte[] payload;
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESTORE = "RESTORE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZERO = "0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLACE = "REPLACE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SINGLE_KEY = "key:__rand_int__".getBytes(StandardCharsets.US_ASCII);

    @Setup(Level.Trial)
    public void open() throws Exception {
        String url = target;
        if (url.isEmpty()) {
            own = RedisServerProcess.builder().start();
            url = own.url();
        }
        writer = RedisWriter.open(RedisTarget.parse(url), WriterConfig.builder().connectionsPerNode(connections).build());
        random = new SplittableRandom(1);
        value = new byte[100];
        Arrays.fill(value, (byte) 'x');
        payload = dumpOfString(value, writer.capabilities().restoreRdbVersion());
    }

    @TearDown(Level.Trial)
    public void close() {
        if (writer != null) {
            System.out.println("\n" + writer.metrics());
            writer.close();
        }
        if (own != null) {
            own.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(PER_INVOCATION)
    public void write() throws InterruptedException {
        boolean restore = command.equals("RESTORE");
        for (int i = 0; i < PER_INVOCATION; i++) {
            byte[] k = keys == 1 ? SINGLE_KEY : key(random.nextInt(keys));
            writer.submit(restore
                    ? RedisCommand.of(0, k, RESTORE, k, ZERO, payload, REPLACE)
                    : RedisCommand.of(0, k, SET, k, value));
        }
        writer.flush();
    }

    /** {@code key:%012d}, as redis-benchmark's {@code -r}. */
    static byte[] key(long n) {
        byte[] k = new byte[16];
        k[0] = 'k';
        k[1] = 'e';
        k[2] = 'y';
        k[3] = ':';
        for (int i = 15; i >= 4; i--) {
            k[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        return k;
    }

    /** DUMP payload of a string (raw encoding, 14-bit length): type 0, length, bytes, RDB version, CRC64. */
    static byte[] dumpOfString(byte[] v, int rdbVersion) {
        byte[] p = new byte[1 + 2 + v.length + 10];
        p[0] = 0;
        p[1] = (byte) (0x40 | (v.length >> 8));
        p[2] = (byte) v.length;
        System.arraycopy(v, 0, p, 3, v.length);
        int o = 3 + v.length;
        p[o] = (byte) rdbVersion;
        p[o + 1] = (byte) (rdbVersion >> 8);
        long crc = Crc64.update(0, p, 0, o + 2);
        for (int i = 0; i < 8; i++) {
            p[o + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return p;
    }
}
