package io.df2redis.bench;

import io.df2redis.redis.KeyspaceClient;
import io.df2redis.redis.NodeAddress;
import io.df2redis.redis.RedisTarget;
import io.df2redis.resp.RespReply;
import io.df2redis.verify.VerifyConfig;
import io.df2redis.verify.Verifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keys/s of {@code --mode verify}'s comparison against the plain loop a user would write: SCAN the
 * source, DUMP each page's keys on both sides (pipelined) and compare the bytes. Runs each {@code
 * runs} times, alternating which goes first.
 *
 * <p>Usage: {@code VerifyThroughput <source url> <target url> <runs> <parallelism>}
 */
public final class VerifyThroughput {
    private VerifyThroughput() {}

    public static void main(String[] args) throws Exception {
        RedisTarget source = RedisTarget.parse(args[0]);
        RedisTarget target = RedisTarget.parse(args[1]);
        int runs = Integer.parseInt(args[2]);
        int parallelism = Integer.parseInt(args[3]);
        for (int run = 0; run < runs; run++) {
            for (int which = 0; which < 2; which++) {
                boolean verifyFirst = run % 2 == 0;
                if ((which == 0) == verifyFirst) {
                    long t0 = System.nanoTime();
                    Verifier.Result r = new Verifier(source, target,
                            VerifyConfig.defaults().withParallelism(parallelism).withRechecks(0, java.time.Duration.ZERO)).run();
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("run %d verify (parallelism %d): %d keys in %.2f s = %.0f keys/s, %d different%n", run,
                            parallelism, r.compared(), s, r.compared() / s, r.differences().size());
                } else {
                    long t0 = System.nanoTime();
                    long[] n = scanDump(source, target);
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("run %d SCAN+DUMP loop: %d keys in %.2f s = %.0f keys/s, %d different%n", run, n[0], s,
                            n[0] / s, n[1]);
                }
            }
        }
    }

    /** One thread, SCAN COUNT 1000, DUMP pipelined per page on each side, bytes compared. */
    static long[] scanDump(RedisTarget source, RedisTarget target) throws Exception {
        long keys = 0;
        long different = 0;
        try (KeyspaceClient s = KeyspaceClient.open(source); KeyspaceClient t = KeyspaceClient.open(target)) {
            for (NodeAddress node : s.scanNodes()) {
                String cursor = "0";
                do {
                    KeyspaceClient.ScanPage p = s.scan(node, 0, cursor, 1000);
                    cursor = p.cursor();
                    List<byte[][]> dumps = new ArrayList<>();
                    for (byte[] k : p.keys()) {
                        dumps.add(new byte[][] {"DUMP".getBytes(), k});
                    }
                    List<RespReply> a = s.read(0, dumps);
                    List<RespReply> b = t.read(0, dumps);
                    for (int i = 0; i < a.size(); i++) {
                        keys++;
                        if (!(a.get(i) instanceof RespReply.Bulk x && b.get(i) instanceof RespReply.Bulk y
                                && Arrays.equals(x.bytes(), y.bytes()))) {
                            different++;
                        }
                    }
                } while (!cursor.equals("0"));
            }
        }
        return new long[] {keys, different};
    }
}
