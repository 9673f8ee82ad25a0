package io.df2redis.bench;

import io.df2redis.redis.RedisCommand;
import io.df2redis.redis.RedisTarget;
import io.df2redis.redis.RedisWriter;
import io.df2redis.redis.WriterConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * The writer (or Jedis) against {@code redis-benchmark -P 64 -c 8 -t set -d 100}, measured in pairs:
 * each pair runs the ceiling and the client on the same number of commands back to back (in
 * alternating order), so that the load of a shared machine hits both alike; the figure is the
 * median of the pairs' ratios. Both write the same keys ({@code key:%012d} below 1 M, or the one
 * key {@code key:__rand_int__}), into a keyspace filled beforehand, so every write overwrites.
 *
 * <pre>
 * java -cp … io.df2redis.bench.WriterPairedComparison URL WORKLOAD CLIENT [PAIRS [COMMANDS [DELAY_MICROS]]]
 *   WORKLOAD: set-one | set-random | restore-random   (RESTORE of a DUMP of the same 100-byte value,
 *             compared with the SET ceiling)
 *   CLIENT:   writer:N (N pipelined connections per primary) | jedis:N (Jedis Pipeline, N connections,
 *             a thread each, sync and check every 1024 commands; one Redis only)
 *   DELAY_MICROS: the client (not redis-benchmark) goes through {@link RedisDelayProxy}, which delays
 *             each direction by this much (one Redis only): how the clients cope with a network round trip
 * </pre>
 * Prints one line per pair and a {@code RESULT} line.
 */
public final class WriterPairedComparison {
    private static final byte[] SET = b("SET");
    private static final byte[] RESTORE = b("RESTORE");
    private static final byte[] ZERO = b("0");
    private static final byte[] REPLACE = b("REPLACE");
    private static final byte[] ONE_KEY = b("key:__rand_int__");
    private static final int KEYS = 1_000_000;

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String workload = args[1];
        String client = args[2];
        int pairs = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        int commands = args.length > 4 ? Integer.parseInt(args[4]) : 1_000_000;
        long delayMicros = args.length > 5 ? Long.parseLong(args[5]) : 0;
        RedisTarget target = RedisTarget.parse(url);
        RedisDelayProxy proxy = null;
        RedisTarget clientTarget = target;
        if (delayMicros > 0) {
            proxy = new RedisDelayProxy(new java.net.InetSocketAddress(target.seed().host(), target.seed().port()), delayMicros);
            clientTarget = RedisTarget.parse("redis://127.0.0.1:" + proxy.port()).withMode(RedisTarget.Mode.STANDALONE);
        }
        boolean oneKey = workload.equals("set-one");
        boolean restore = workload.startsWith("restore");
        int n = Integer.parseInt(client.substring(client.indexOf(':') + 1));
        byte[] value = new byte[100];
        Arrays.fill(value, (byte) 'x');

        try (Contender c = client.startsWith("jedis") ? new JedisContender(clientTarget, n, value)
                : new WriterContender(clientTarget, n, value)) {
            boolean cluster = c.cluster();
            // Fill the keyspace (every later write overwrites) and warm the JIT up.
            c.run(KEYS, false, restore, true);
            c.run(commands, oneKey, restore, false);
            List<double[]> results = new ArrayList<>();
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu = 0;
            long done = 0;
            for (int i = 0; i < pairs; i++) {
                double ceiling;
                double mine;
                long cpu0;
                if (i % 2 == 0) {
                    ceiling = redisBenchmark(target, cluster, oneKey, commands);
                    cpu0 = os.getProcessCpuTime();
                    mine = c.run(commands, oneKey, restore, false);
                    cpu += os.getProcessCpuTime() - cpu0;
                } else {
                    cpu0 = os.getProcessCpuTime();
                    mine = c.run(commands, oneKey, restore, false);
                    cpu += os.getProcessCpuTime() - cpu0;
                    ceiling = redisBenchmark(target, cluster, oneKey, commands);
                }
                done += commands;
                results.add(new double[] {mine, ceiling, mine / ceiling});
                System.out.printf(Locale.ROOT, "pair %d: %s %s %.0f ops/s, redis-benchmark %.0f ops/s, ratio %.2f%n",
                        i + 1, client, workload, mine, ceiling, mine / ceiling);
            }
            String via = delayMicros > 0 ? " rtt-ms " + (2 * delayMicros / 1000.0) : "";
            System.out.printf(Locale.ROOT, "RESULT%s %s %s %s median-ratio %.2f (min %.2f, max %.2f) median-ops/s %.0f median-ceiling %.0f client-cpu-ns/command %.0f load %s%n",
                    via, cluster ? "cluster" : "standalone", workload, client, median(results, 2), min(results, 2), max(results, 2),
                    median(results, 0), median(results, 1), cpu / (double) done, loadAverage());
        } finally {
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    /** redis-benchmark -P 64 -c 8 -t set -d 100 -n COMMANDS [-r 1000000] [--cluster]: requests per second. */
    static double redisBenchmark(RedisTarget t, boolean cluster, boolean oneKey, int commands) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-benchmark", "-h", t.seed().host(), "-p", Integer.toString(t.seed().port()),
                "-P", "64", "-c", "8", "-t", "set", "-d", "100", "-n", Integer.toString(commands), "--csv"));
        if (!oneKey) {
            cmd.addAll(List.of("-r", Integer.toString(KEYS)));
        }
        if (cluster) {
            cmd.add("--cluster");
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("redis-benchmark failed: " + out);
        }
        String[] lines = out.trim().split("\n");
        return Double.parseDouble(lines[lines.length - 1].split(",")[1].replace("\"", ""));
    }

    interface Contender extends AutoCloseable {
        /** Writes {@code commands} commands and waits for every reply; returns commands per second. */
        double run(int commands, boolean oneKey, boolean restore, boolean sequentialKeys) throws Exception;

        boolean cluster();
    }

    static final class WriterContender implements Contender {
        private final RedisWriter writer;
        private final byte[] value;
        private final byte[] payload;
        private final SplittableRandom random = new SplittableRandom(7);

        WriterContender(RedisTarget t, int connections, byte[] value) throws IOException {
            this.writer = RedisWriter.open(t, WriterConfig.builder().connectionsPerNode(connections).build());
            this.value = value;
            this.payload = WriterThroughputBenchmark.dumpOfString(value, writer.capabilities().restoreRdbVersion());
        }

        @Override
        public double run(int commands, boolean oneKey, boolean restore, boolean sequentialKeys) throws Exception {
            long t0 = System.nanoTime();
            for (int i = 0; i < commands; i++) {
                byte[] k = oneKey ? ONE_KEY : WriterThroughputBenchmark.key(sequentialKeys ? i : random.nextInt(KEYS));
                writer.submit(restore ? RedisCommand.of(0, k, RESTORE, k, ZERO, payload, REPLACE) : RedisCommand.of(0, k, SET, k, value));
            }
            writer.flush();
            return commands / ((System.nanoTime() - t0) / 1e9);
        }

        @Override
        public boolean cluster() {
            return writer.isCluster();
        }

        @Override
        public void close() {
            writer.close();
        }
    }

    static final class JedisContender implements Contender {
        private final List<Jedis> connections = new ArrayList<>();
        private final ExecutorService pool;
        private final byte[] value;

        JedisContender(RedisTarget t, int n, byte[] value) {
            for (int i = 0; i < n; i++) {
                connections.add(new Jedis(t.seed().host(), t.seed().port()));
            }
            this.pool = Executors.newFixedThreadPool(n);
            this.value = value;
        }

        @Override
        public double run(int commands, boolean oneKey, boolean restore, boolean sequentialKeys) throws Exception {
            if (restore) {
                throw new IllegalArgumentException("the Jedis contender only does SET");
            }
            long t0 = System.nanoTime();
            int share = commands / connections.size();
            List<Future<?>> done = new ArrayList<>();
            int c = 0;
            for (Jedis j : connections) {
                int offset = c++ * share;
                done.add(pool.submit(() -> {
                    SplittableRandom r = new SplittableRandom(offset);
                    Pipeline p = j.pipelined();
                    List<Response<String>> replies = new ArrayList<>(1024);
                    for (int i = 0; i < share; i++) {
                        byte[] k = oneKey ? ONE_KEY : WriterThroughputBenchmark.key(sequentialKeys ? offset + i : r.nextInt(KEYS));
                        replies.add(p.set(k, value));
                        if (replies.size() == 1024 || i == share - 1) {
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
            return (double) share * connections.size() / ((System.nanoTime() - t0) / 1e9);
        }

        @Override
        public boolean cluster() {
            return false;
        }

        @Override
        public void close() {
            connections.forEach(Jedis::close);
            pool.shutdownNow();
        }
    }

    private static double median(List<double[]> r, int col) {
        double[] v = r.stream().mapToDouble(x -> x[col]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double min(List<double[]> r, int col) {
        return r.stream().mapToDouble(x -> x[col]).min().orElse(0);
    }

    private static double max(List<double[]> r, int col) {
        return r.stream().mapToDouble(x -> x[col]).max().orElse(0);
    }

    private static String loadAverage() {
        try {
            String[] l = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg")), StandardCharsets.US_ASCII).split(" ");
            return l[0] + "/" + l[1] + "/" + l[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
