package io.df2redis.redis;

import io.df2redis.testing.redis.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

public class ProfileTmpMain {
    public static void main(String[] a) throws Exception {
        int conns = Integer.parseInt(a[0]);
        int keys = Integer.parseInt(a[1]);
        try (RedisServerProcess s = RedisServerProcess.builder().start();
             RedisWriter w = RedisWriter.open(RedisTarget.parse(s.url()), WriterConfig.builder().connectionsPerNode(conns).build())) {
            byte[][] kb = new byte[keys][];
            for (int i = 0; i < keys; i++) kb[i] = String.format("key:%012d", i).getBytes(StandardCharsets.US_ASCII);
            int[] order = new int[1 << 20];
            for (int i = 0; i < order.length; i++) order[i] = ThreadLocalRandom.current().nextInt(keys);
            byte[] v = "x".repeat(100).getBytes();
            byte[] set = "SET".getBytes();
            for (int round = 0; round < 8; round++) {
                long t0 = System.nanoTime();
                int n = 1_000_000;
                for (int i = 0; i < n; i++) {
                    byte[] k = kb[order[i & (order.length - 1)]];
                    w.submit(RedisCommand.of(0, k, set, k, v));
                }
                w.flush();
                System.out.printf("conns=%d keys=%d %.0f ops/s batches=%d%n", conns, keys, n / ((System.nanoTime() - t0) / 1e9), w.metrics().batches());
            }
        }
    }
}
