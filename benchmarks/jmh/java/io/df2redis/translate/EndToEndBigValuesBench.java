package io.df2redis.translate;

import io.df2redis.testing.redis.RedisClusterProcesses;
import io.df2redis.testing.redis.RedisServerProcess;

import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.dragonfly.stream.FlowStreamParser;
import io.df2redis.dragonfly.stream.ParserConfig;
import io.df2redis.testing.recordings.Recording;
import io.df2redis.testing.recordings.RecordingMeta;
import io.df2redis.testing.recordings.Recordings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import redis.clients.jedis.Jedis;

/**
 * The big-values recording end to end: both flows parsed from their bytes on one thread, journal
 * commands split, everything translated and handed to the project's {@code RedisWriter} (default
 * configuration: its own I/O threads, pipelined batches) writing into one real redis-server, and
 * flushed (every reply read). Score = milliseconds per whole recording: 1 357 001 flow
 * bytes as received (LZ4 frames, tagged chunks), 5 008 snapshot keys among them a 300 000-byte
 * string and four 20 000-element collections, 460 journal blobs and 6 stable journal entries; the
 * target ends with 5 009 keys. MB/s = flow bytes / time; keys/s = snapshot keys / time.
 *
 * <p>{@code mvn -Pbench -o test-compile exec:exec -Dbench=EndToEndBigValues}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class EndToEndBigValuesBench {
    @Param({"AUTO", "RESTORE", "NATIVE"})
    public String mode;

    private RedisServerProcess redis;
    private Recording rec;
    private final List<byte[]> flows = new ArrayList<>();
    private TranslateConfig config;
    private WriterTargetIo io;
    private RecordingMeta meta;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        redis = RedisServerProcess.builder().start();
        rec = Recordings.get("big-values");
        meta = rec.meta();
        for (int i = 0; i < rec.flowCount(); i++) {
            flows.add(rec.flowBytes(i));
        }
        config = TranslateConfig.builder().snapshotWrite(TranslateConfig.SnapshotWrite.valueOf(mode)).build();
        io = WriterTargetIo.open(redis.url(), redis.host(), redis.port(), false); // opened once: connections, probe
    }

    @Benchmark
    public long replayRecording() throws Exception {
        TranslationCounters counters = new TranslationCounters();
        SlotApplier applier = new SlotApplier(config, TargetProfile.redis70(false), meta::startedAtUnixMs, counters,
                SkipListener.NONE, io);
        long seq = 0;
        for (int i = 0; i < flows.size(); i++) {
            JournalSplitter splitter = new JournalSplitter(config, i, flows.size(), counters, SkipListener.NONE);
            int flow = i;
            long[] n = {seq};
            FlowStreamParser p = FlowStreamParser.fullSync(i, meta.flows().get(i).eofToken(), ParserConfig.defaults(),
                    e -> {
                        if (e instanceof FlowEvent.SnapshotObject o) {
                            applier.snapshot(o);
                        } else if (e instanceof FlowEvent.ObjectPart part) {
                            applier.part(part);
                        } else if (e instanceof FlowEvent.JournalCommand c) {
                            String op = "b:" + flow + ":" + n[0]++;
                            for (SlotCommand u : splitter.split(c)) {
                                applier.journal(u, op);
                            }
                        }
                    });
            p.feed(flows.get(i));
            p.endOfInput();
            seq = n[0];
        }
        io.drain();
        return io.writer.metrics().submitted();
    }

    @TearDown(Level.Iteration)
    public void clear() {
        try (Jedis j = TestRedis.jedis(redis)) {
            long keys = j.dbSize();
            if (keys < 5000) {
                throw new IllegalStateException("the replay left " + keys + " keys, expected 5009");
            }
            j.flushAll();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        io.close();
        redis.close();
    }
}
