package io.df2redis.bench;

import io.df2redis.redis.RedisCommand;
import io.df2redis.redis.RedisTarget;
import io.df2redis.redis.RedisWriter;
import io.df2redis.redis.WriterConfig;
import io.df2redis.testing.redis.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Jedis {@code Pipeline} (replies read only at {@code sync()}) on n connections, one thread each,
 * against the writer's own pipelined client (a sending and a receiving thread per connection,
 * replies checked one by one while more batches are in flight), on the same SET workload as
 * {@link WriterThroughputBenchmark}: 100 000 SETs of 100 bytes to random keys per invocation.
 *
 * <p>Jedis variants check every reply (as the writer must, to find the key of a refused command):
 * {@code Response.get()} after each sync. The batch size between syncs is {@code batch}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 4, time = 8)
public class RedisClientChoiceBenchmark {
    static final int PER_INVOCATION = 100_000;

    @Param({""})
    public String target;

    @Param({"jedis", "writer"})
    public String client;

    @Param({"1", "2", "4", "8"})
    public int connections;

    @Param({"1024"})
    public int batch;

    private RedisServerProcess own;
    private RedisWriter writer;
    private List<Jedis> jedis;
    private ExecutorService pool;
    private byte[] value;
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);

    @Setup(Level.Trial)
    public void open() throws Exception {
        String url = target;
        if (url.isEmpty()) {
            own = RedisServerProcess.builder().start();
            url = own.url();
        }
        value = new byte[100];
        Arrays.fill(value, (byte) 'x');
        RedisTarget t = RedisTarget.parse(url);
        if (client.equals("writer")) {
            writer = RedisWriter.open(t, WriterConfig.builder().connectionsPerNode(connections).batch(batch, 1 << 20).build());
        } else {
            jedis = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                jedis.add(new Jedis(t.seed().host(), t.seed().port()));
            }
            pool = Executors.newFixedThreadPool(connections);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        if (writer != null) {
            writer.close();
        }
        if (jedis != null) {
            jedis.forEach(Jedis::close);
            pool.shutdownNow();
        }
        if (own != null) {
            own.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(PER_INVOCATION)
    public void write() throws Exception {
        if (writer != null) {
            SplittableRandom r = new SplittableRandom();
            for (int i = 0; i < PER_INVOCATION; i++) {
                byte[] k = WriterThroughputBenchmark.key(r.nextInt(1_000_000));
                writer.submit(RedisCommand.of(0, k, SET, k, value));
            }
            writer.flush();
            return;
        }
        List<Future<?>> done = new ArrayList<>();
        int share = PER_INVOCATION / connections;
        for (Jedis j : jedis) {
            done.add(pool.submit(() -> {
                SplittableRandom r = new SplittableRandom();
                Pipeline p = j.pipelined();
                List<Response<String>> replies = new ArrayList<>(batch);
                for (int i = 0; i < share; i++) {
                    byte[] k = WriterThroughputBenchmark.key(r.nextInt(1_000_000));
                    replies.add(p.set(k, value));
                    if (replies.size() == batch || i == share - 1) {
                        p.sync();
                        for (Response<String> resp : replies) {
                            if (!"OK".equals(resp.get())) {
                                throw new IllegalStateException("SET refused");
                            }
                        }
                        replies.clear();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
    }
}
