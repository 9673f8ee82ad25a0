package io.df2redis.bench;

import io.df2redis.dragonfly.event.DecodedValue;
import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.dragonfly.stream.FlowStreamParser;
import io.df2redis.dragonfly.stream.ParserConfig;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Heap while parsing a flow whose one value is a 1 GiB string. The flow is generated on the fly
 * (never held), the JVM has a 256 MiB heap, and after every 128 MiB fed a full GC is forced and
 * the heap in use right after it is sampled ({@code MemoryMXBean.getHeapMemoryUsage}). The run
 * only succeeds if the value streams through as pieces; {@code peakAfterFullGcMiB} shows the heap
 * stays flat (it includes JMH's own objects). A GC log goes to {@code target/parser-heap-gc.log}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgs = {"-Xmx256m", "-Xlog:gc:file=target/parser-heap-gc.log"})
public class ParserHugeValueBenchmark {
    static final long VALUE_BYTES = 1L << 30;
    private static final int PIECE = 64 * 1024;
    private static final long SAMPLE_EVERY = 128L << 20;

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Heap {
        public long peakAfterFullGcMiB;
        public long valueMiB;
        public long parts;
    }

    @Benchmark
    public void parseOneGiBString(Heap heap) throws Exception {
        long[] seen = {0, 0};
        FlowStreamParser p = FlowStreamParser.fullSync(0, ParserInputs.TOKEN, ParserConfig.defaults(), e -> {
            if (e instanceof FlowEvent.ObjectPart part) {
                seen[0] += ((DecodedValue.StringValue) part.elements()).bytes().length;
                seen[1]++;
            }
        });
        p.feed(prefix());
        byte[] chunk = ParserInputs.text(new java.util.Random(3), PIECE);
        long sent = 0;
        long nextSample = SAMPLE_EVERY;
        while (sent < VALUE_BYTES) {
            int n = (int) Math.min(PIECE, VALUE_BYTES - sent);
            p.feed(chunk, 0, n);
            sent += n;
            if (sent >= nextSample) {
                heap.peakAfterFullGcMiB = Math.max(heap.peakAfterFullGcMiB, heapAfterFullGc() >> 20);
                nextSample += SAMPLE_EVERY;
            }
        }
        p.feed(suffix());
        p.endOfInput();
        if (seen[0] != VALUE_BYTES) {
            throw new IllegalStateException("streamed " + seen[0] + " of " + VALUE_BYTES + " bytes");
        }
        heap.valueMiB = seen[0] >> 20;
        heap.parts = seen[1];
    }

    static long heapAfterFullGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** "REDIS0009", SELECTDB 0, a STRING entry "huge" whose rdbstr says 1 GiB (0x80 + u32be). */
    static byte[] prefix() {
        byte[] head = "REDIS0009".getBytes(StandardCharsets.US_ASCII);
        byte[] rest = {(byte) 0xfe, 0, 0, 4, 'h', 'u', 'g', 'e', (byte) 0x80, 0x40, 0, 0, 0};
        byte[] out = new byte[head.length + rest.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(rest, 0, out, head.length, rest.length);
        return out;
    }

    /** FULLSYNC_END, JOURNAL_OFFSET 1, EOF with zero checksum, the token. */
    static byte[] suffix() {
        byte[] out = new byte[9 + 9 + 9 + 40];
        out[0] = (byte) 0xc8;
        out[9] = (byte) 0xd3;
        out[10] = 1;
        out[18] = (byte) 0xff;
        System.arraycopy(ParserInputs.TOKEN.getBytes(StandardCharsets.US_ASCII), 0, out, 27, 40);
        return out;
    }
}
