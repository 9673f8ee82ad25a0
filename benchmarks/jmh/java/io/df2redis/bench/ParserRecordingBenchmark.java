package io.df2redis.bench;

import io.df2redis.dragonfly.stream.FlowStreamParser;
import io.df2redis.dragonfly.stream.ParserConfig;
import io.df2redis.testing.recordings.Recording;
import io.df2redis.testing.recordings.RecordingMeta;
import io.df2redis.testing.recordings.Recordings;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parse throughput on flows recorded from a real v1.40 master (../shared/testdata/dragonfly), fed
 * in 64 KiB pieces: {@code big-values} flow 1 is mostly tagged chunks in LZ4 frames of two linked
 * blocks (the slow path, see BlobDecompressor), {@code no-tagged-chunks} flow 1 is big values
 * uncompressed, {@code types-basic} flow 0 small frames of one block.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class ParserRecordingBenchmark {
    private static final int PIECE = 64 * 1024;

    @State(Scope.Benchmark)
    public static class Input {
        @Param({"big-values/1", "no-tagged-chunks/1", "types-basic/0"})
        public String flow;

        byte[] bytes;
        String token;

        @Setup(Level.Trial)
        public void load() {
            String[] parts = flow.split("/");
            Recording rec = Recordings.get(parts[0]);
            RecordingMeta.Flow f = rec.meta().flows().get(Integer.parseInt(parts[1]));
            bytes = rec.flowBytes(f.flow());
            token = f.eofToken();
        }
    }

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rates {
        public long bytes;
        public long entries;
    }

    @Benchmark
    public void parseRecordedFlow(Input in, Rates rates, Blackhole bh) throws Exception {
        FlowStreamParser p = FlowStreamParser.fullSync(0, in.token, ParserConfig.defaults(), bh::consume);
        byte[] b = in.bytes;
        for (int off = 0; off < b.length; off += PIECE) {
            p.feed(b, off, Math.min(PIECE, b.length - off));
        }
        p.endOfInput();
        rates.bytes += b.length;
        rates.entries += p.entriesRead();
    }
}
