package io.df2redis.dragonfly.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class FlowBufferTest {
    @TempDir
    Path dir;

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private long spillFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    private static byte[] drain(FlowBuffer buf, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[chunk];
        while (true) {
            int n = buf.read(b, 0, b.length, TimeUnit.MILLISECONDS.toNanos(100));
            if (n < 0) {
                return out.toByteArray();
            }
            out.write(b, 0, n);
        }
    }

    @Test
    void keepsOrderAcrossMemoryAndSpillFilesAndDeletesFilesOnceRead() throws IOException {
        FlowCounters counters = new FlowCounters();
        FlowBuffer buf = new FlowBuffer(3, 10_000, dir, 10_000_000, 8192, counters);
        byte[] data = random(300_000, 1);
        for (int off = 0; off < data.length; off += 1000) {
            buf.append(data, off, 1000);
        }
        assertThat(counters.memoryBytes()).isLessThanOrEqualTo(10_000);
        assertThat(counters.bytesSpilled()).isGreaterThan(280_000);
        assertThat(counters.spillFiles()).isGreaterThan(30);
        assertThat(spillFiles()).isEqualTo(counters.spillFiles());
        // Half read: the files already read are gone.
        byte[] first = new byte[150_000];
        int got = 0;
        while (got < first.length) {
            got += buf.read(first, got, first.length - got, 0);
        }
        assertThat(spillFiles()).isLessThan(counters.spillFiles());
        // More data while spilled: still in order.
        byte[] more = random(50_000, 2);
        buf.append(more, 0, more.length);
        buf.finish(null);
        byte[] rest = drain(buf, 777);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(first);
        all.write(rest);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(data);
        expected.write(more);
        assertThat(all.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(spillFiles()).isZero();
        assertThat(counters.spillBytesOnDisk()).isZero();
    }

    @Test
    void goesBackToMemoryOnceTheConsumerCaughtUp() throws IOException {
        FlowCounters counters = new FlowCounters();
        FlowBuffer buf = new FlowBuffer(0, 4096, dir, 1_000_000, 4096, counters);
        byte[] data = random(20_000, 3);
        buf.append(data, 0, 20_000);
        assertThat(counters.bytesSpilled()).isEqualTo(20_000);
        byte[] b = new byte[20_000];
        int got = 0;
        while (got < b.length) {
            got += buf.read(b, got, b.length - got, 0);
        }
        assertThat(b).isEqualTo(data);
        buf.append(data, 0, 100);
        assertThat(counters.bytesSpilled()).isEqualTo(20_000);
        assertThat(counters.memoryBytes()).isEqualTo(100);
        buf.close();
    }

    @Test
    void spillLimitIsATypedErrorAndTheConsumerStillGetsEverythingBeforeIt() throws IOException {
        FlowCounters counters = new FlowCounters();
        FlowBuffer buf = new FlowBuffer(7, 2048, dir, 10_000, 4096, counters);
        byte[] data = random(12_000, 4);
        buf.append(data, 0, 2000);
        for (int off = 2000; off < 12_000; off += 1000) {
            if (off + 1000 > 2000 + 10_000) {
                break;
            }
            buf.append(data, off, 1000);
        }
        assertThatThrownBy(() -> buf.append(data, 0, 1000))
                .isInstanceOf(SpillLimitExceededException.class)
                .hasMessageContaining("flow 7")
                .hasMessageContaining("spill limit of 10000 bytes");
        assertThat(counters.spillLimitHits()).isEqualTo(1);
        buf.finish(new SpillLimitExceededException(7, 12_000, 10_000, dir));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[500];
        assertThatThrownBy(() -> {
            while (true) {
                int n = buf.read(b, 0, b.length, 0);
                out.write(b, 0, n);
            }
        }).isInstanceOf(SpillLimitExceededException.class);
        assertThat(out.size()).isEqualTo(12_000);
        buf.close();
        assertThat(spillFiles()).isZero();
    }

    @Test
    void pollDoesNotWaitAndAvailabilityCompletesOnData() throws Exception {
        FlowBuffer buf = new FlowBuffer(0, 4096, dir, 0, 4096, new FlowCounters());
        byte[] b = new byte[10];
        assertThat(buf.read(b, 0, 10, 0)).isZero();
        CompletableFuture<Void> f = buf.available();
        assertThat(f).isNotDone();
        buf.append(new byte[] {1, 2, 3}, 0, 3);
        assertThat(f).isDone();
        assertThat(buf.available()).isDone();
        assertThat(buf.read(b, 0, 10, 0)).isEqualTo(3);
        CompletableFuture<Void> g = buf.available();
        assertThat(g).isNotDone();
        buf.finish(null);
        assertThat(g).isDone();
        assertThat(buf.read(b, 0, 10, 0)).isEqualTo(-1);
    }

    @Test
    void closeDeletesSpillFilesNotYetRead() throws IOException {
        FlowBuffer buf = new FlowBuffer(0, 1024, dir, 1_000_000, 4096, new FlowCounters());
        byte[] data = random(50_000, 5);
        buf.append(data, 0, data.length);
        assertThat(spillFiles()).isPositive();
        buf.close();
        assertThat(spillFiles()).isZero();
    }
}
