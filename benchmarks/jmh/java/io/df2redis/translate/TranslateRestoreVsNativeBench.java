package io.df2redis.translate;

import io.df2redis.testing.redis.RedisClusterProcesses;
import io.df2redis.testing.redis.RedisServerProcess;

import io.df2redis.dragonfly.event.FlowEvent.SnapshotObject;
import io.df2redis.dragonfly.event.RdbValue;
import io.df2redis.dragonfly.rdb.DumpPayload;
import io.df2redis.dragonfly.rdb.TypeTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
import redis.clients.jedis.Jedis;

/**
 * Snapshot values written with RESTORE of their own bytes against native commands (DEL + SET /
 * RPUSH / SADD / HSET / ZADD), into a real redis-server on this machine, pipelined 512 commands a
 * round trip. Score = keys per second (translation + RESP encoding + server + replies).
 *
 * <p>{@code mvn -Pbench -o test-compile exec:exec -Dbench=TranslateRestoreVsNative}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class TranslateRestoreVsNativeBench {
    static final int KEYS = 1000;

    @Param({"string-16", "string-100", "string-1k", "string-10k", "list-10", "set-10-int", "hash-10", "zset-10",
        "hash-100", "zset-100", "list-1000"})
    public String shape;

    @Param({"RESTORE", "NATIVE"})
    public String mode;

    private RedisServerProcess redis;
    private PipelinedTargetIo io;
    private ObjectTranslator translator;
    private final List<SnapshotObject> objects = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        redis = RedisServerProcess.builder().start();
        RdbValue sample;
        try (Jedis j = TestRedis.jedis(redis)) {
            create(j, "sample");
            byte[] dump = j.dump("sample".getBytes(StandardCharsets.UTF_8));
            sample = DumpPayload.parse(dump, TypeTable.REDIS).value();
            j.flushAll();
        }
        for (int i = 0; i < KEYS; i++) {
            objects.add(new SnapshotObject(0, ("k:" + shape + ":" + i).getBytes(StandardCharsets.UTF_8), -1, 0, 0, sample));
        }
        TranslateConfig cfg = TranslateConfig.builder()
                .snapshotWrite(TranslateConfig.SnapshotWrite.valueOf(mode)).build();
        translator = new ObjectTranslator(cfg, TargetProfile.redis70(false), System::currentTimeMillis,
                new TranslationCounters(), SkipListener.NONE);
        io = new PipelinedTargetIo(redis.host(), redis.port(), 512);
    }

    private void create(Jedis j, String k) {
        String[] p = shape.split("-");
        int n = p[1].endsWith("k") ? Integer.parseInt(p[1].replace("k", "")) * 1000 : Integer.parseInt(p[1]);
        switch (p[0]) {
            case "string":
                j.set(k, "x".repeat(n));
                break;
            case "list":
                for (int i = 0; i < n; i++) {
                    j.rpush(k, "element-" + i);
                }
                break;
            case "set":
                for (int i = 0; i < n; i++) {
                    j.sadd(k, p.length > 2 ? Integer.toString(i * 7) : "member-" + i);
                }
                break;
            case "hash":
                for (int i = 0; i < n; i++) {
                    j.hset(k, "field-" + i, "value-" + i);
                }
                break;
            case "zset":
                for (int i = 0; i < n; i++) {
                    j.zadd(k, i * 1.25, "member-" + i);
                }
                break;
            default:
                throw new IllegalArgumentException(shape);
        }
    }

    @Benchmark
    @OperationsPerInvocation(KEYS)
    public long writeKeys() {
        for (SnapshotObject o : objects) {
            translator.snapshot(o, io::submit);
        }
        io.sync();
        return io.commands;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        io.close();
        redis.close();
    }
}
