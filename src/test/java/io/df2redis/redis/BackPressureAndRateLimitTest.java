package io.df2redis.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.testing.redis.RedisProcessesExtension;
import io.df2redis.testing.redis.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A slow target blocks the caller instead of growing memory; the optional rate limit holds. */
@ExtendWith(RedisProcessesExtension.class)
class BackPressureAndRateLimitTest {

    @Test
    @Timeout(120)
    void submitBlocksAtTheOutstandingLimitWhileTheTargetStalls() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.builder().start();
                RedisWriter writer = RedisWriter.open(RedisTarget.parse(server.url()),
                        WriterConfig.builder().maxOutstanding(50, 1 << 20).build())) {
            AtomicInteger submitted = new AtomicInteger();
            // Writes are held by the server for 1.5 s.
            server.call("CLIENT", "PAUSE", "1500", "WRITE");
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < 1000; i++) {
                        byte[] k = ("bp:" + i).getBytes(StandardCharsets.UTF_8);
                        writer.submit(RedisCommand.of(0, k, b("SET"), k, k));
                        submitted.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            Thread.sleep(700);
            assertThat(submitted.get()).as("commands accepted while the target answers nothing").isEqualTo(50);
            assertThat(writer.outstanding()).isEqualTo(50);
            assertThat(t.getState()).isIn(Thread.State.WAITING, Thread.State.TIMED_WAITING, Thread.State.BLOCKED);
            t.join(30_000);
            writer.flush();
            assertThat(submitted.get()).isEqualTo(1000);
            assertThat(server.call("DBSIZE").asLong()).isEqualTo(1000);
        }
    }

    @Test
    @Timeout(120)
    void aValueLargerThanTheByteBudgetStillGoesThroughWhole() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.builder().start();
                RedisWriter writer = RedisWriter.open(RedisTarget.parse(server.url()),
                        WriterConfig.builder().maxOutstanding(1000, 64 * 1024).build())) {
            byte[] big = new byte[5 << 20];
            Arrays.fill(big, (byte) 'z');
            big[big.length - 1] = 'E';
            writer.submit(RedisCommand.of(0, b("big"), b("SET"), b("big"), big));
            writer.submit(RedisCommand.of(0, b("after"), b("SET"), b("after"), b("1")));
            writer.flush();
            try (RedisConnection c = server.connect()) {
                assertThat(((io.df2redis.resp.RespReply.Bulk) c.call("GET", "big")).bytes()).isEqualTo(big);
                assertThat(c.call("GET", "after").asText()).isEqualTo("1");
            }
        }
    }

    @Test
    @Timeout(120)
    void rateLimitsSpreadTheCommandsOverTime() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.builder().start()) {
            try (RedisWriter writer = RedisWriter.open(RedisTarget.parse(server.url()), WriterConfig.builder().rateLimit(5000, 0).build())) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 2500; i++) {
                    byte[] k = ("rl:" + i).getBytes(StandardCharsets.UTF_8);
                    writer.submit(RedisCommand.of(0, k, b("SET"), k, k));
                }
                writer.flush();
                // 2500 commands at 5000/s: half a second, less the 50 ms burst allowance. (A lower bound only.)
                assertThat((System.nanoTime() - t0) / 1e9).isGreaterThanOrEqualTo(0.44);
            }
            try (RedisWriter writer = RedisWriter.open(RedisTarget.parse(server.url()), WriterConfig.builder().rateLimit(0, 1_000_000).build())) {
                long t0 = System.nanoTime();
                byte[] v = new byte[100_000];
                for (int i = 0; i < 15; i++) {
                    byte[] k = ("rb:" + i).getBytes(StandardCharsets.UTF_8);
                    writer.submit(RedisCommand.of(0, k, b("SET"), k, v));
                }
                writer.flush();
                // 1.5 MB at 1 MB/s.
                assertThat((System.nanoTime() - t0) / 1e9).isGreaterThanOrEqualTo(1.4);
            }
            assertThat(server.call("DBSIZE").asLong()).isEqualTo(2515);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
