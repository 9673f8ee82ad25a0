package io.df2redis.bench;

import io.df2redis.dragonfly.encode.FlowStreamWriter;
import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.dragonfly.rdb.ValueDecoder;
import io.df2redis.dragonfly.stream.FlowStreamParser;
import io.df2redis.dragonfly.stream.ParserConfig;
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
 * Parse throughput of one flow on one thread: the whole flow fed in 64 KiB pieces (as a socket
 * reader would), events consumed. Reported per second: {@code bytes} (flow bytes, compressed as on
 * the wire) and {@code entries} (key entries). {@code decode=true} also decodes every held value
 * into elements, i.e. what eager decoding would cost on top of passing raw bytes through.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ParserThroughputBenchmark {
    private static final int PIECE = 64 * 1024;

    @State(Scope.Benchmark)
    public static class Input {
        @Param({"small", "big"})
        public String values;

        @Param({"LZ4", "NONE"})
        public String compression;

        @Param({"false", "true"})
        public boolean decode;

        ParserInputs.Flow flow;

        @Setup(Level.Trial)
        public void build() {
            FlowStreamWriter.Compression c = FlowStreamWriter.Compression.valueOf(compression);
            flow = values.equals("small") ? ParserInputs.smallKeys(200_000, c) : ParserInputs.bigValues(4, c);
        }
    }

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rates {
        public long bytes;
        public long entries;
    }

    @Benchmark
    public long parseFlow(Input in, Rates rates, Blackhole bh) throws Exception {
        long[] events = {0};
        FlowStreamParser p = FlowStreamParser.fullSync(0, ParserInputs.TOKEN, ParserConfig.defaults(), e -> {
            events[0]++;
            if (in.decode && e instanceof FlowEvent.SnapshotObject o) {
                try {
                    bh.consume(ValueDecoder.decode(o.value()));
                } catch (Exception x) {
                    throw new IllegalStateException(x);
                }
            } else {
                bh.consume(e);
            }
        });
        byte[] b = in.flow.bytes();
        for (int off = 0; off < b.length; off += PIECE) {
            p.feed(b, off, Math.min(PIECE, b.length - off));
        }
        p.endOfInput();
        if (p.entriesRead() != in.flow.entries()) {
            throw new IllegalStateException("parsed " + p.entriesRead() + " entries, wrote " + in.flow.entries());
        }
        rates.bytes += b.length;
        rates.entries += in.flow.entries();
        return events[0];
    }
}
