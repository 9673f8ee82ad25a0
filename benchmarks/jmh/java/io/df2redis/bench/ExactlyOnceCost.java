package io.df2redis.bench;

import io.df2redis.redis.RedisCommand;
import io.df2redis.redis.RedisTarget;
import io.df2redis.redis.RedisWriter;
import io.df2redis.redis.Slots;
import io.df2redis.redis.WriterConfig;
import io.df2redis.resp.RespReply;
import io.df2redis.translate.AppliedPositions;
import io.df2redis.translate.SlotApplier;
import io.df2redis.translate.SlotCommand;
import io.df2redis.translate.TargetFlush;
import io.df2redis.translate.TargetIo;
import io.df2redis.translate.TargetProfile;
import io.df2redis.translate.TranslateConfig;
import io.df2redis.translate.TranslationCounters;
import io.df2redis.translate.Watermarks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cost of exactly-once journal apply against at-least-once, on the sink side: the same mixed
 * journal (INCR, INCRBY, APPEND, HINCRBY, LPUSH, RPUSH, LPOP, SET, DEL, PEXPIREAT over 100 000 keys)
 * through {@link SlotApplier} and {@link RedisWriter} into one redis-server, in pairs that alternate
 * which mode goes first. Reports per mode the journal commands per second and redis-server's CPU
 * per command (utime + stime of its PID from /proc), and the ratio per pair.
 *
 * <p>Usage: {@code ExactlyOnceCost REDIS_URL REDIS_PID PAIRS COMMANDS}
 */
public final class ExactlyOnceCost {
    /** -Dexactly-once.eval=true: units as EVAL of the wrapping script (Redis &lt; 7), not FCALL. */
    private static final boolean EVAL = Boolean.getBoolean("exactly-once.eval");

    private ExactlyOnceCost() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        long pid = Long.parseLong(args[1]);
        int pairs = Integer.parseInt(args[2]);
        int commands = Integer.parseInt(args[3]);
        run(url, pid, false, commands / 4); // warm-up of both paths
        run(url, pid, true, commands / 4);
        List<double[]> exact = new ArrayList<>();
        List<double[]> atLeast = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            boolean exactFirst = p % 2 == 0;
            double[] a = run(url, pid, exactFirst, commands);
            double[] b = run(url, pid, !exactFirst, commands);
            double[] e = exactFirst ? a : b;
            double[] l = exactFirst ? b : a;
            exact.add(e);
            atLeast.add(l);
            System.out.printf("pair %d: exactly-once %.0f cmd/s, redis %.2f µs/cmd | at-least-once %.0f cmd/s, redis %.2f µs/cmd"
                    + " | ratio %.2f%n", p, e[0], e[1], l[0], l[1], e[0] / l[0]);
        }
        System.out.printf("RESULT (" + (EVAL ? "EVAL" : "FCALL") + ") exactly-once median %.0f cmd/s, redis %.2f µs/cmd; at-least-once median %.0f cmd/s, redis %.2f µs/cmd;"
                + " median ratio %.2f%n", median(exact, 0), median(exact, 1), median(atLeast, 0), median(atLeast, 1),
                medianRatio(exact, atLeast));
    }

    private static double median(List<double[]> runs, int i) {
        double[] v = runs.stream().mapToDouble(r -> r[i]).sorted().toArray();
        return v[v.length / 2];
    }

    private static double medianRatio(List<double[]> a, List<double[]> b) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i)[0] / b.get(i)[0];
        }
        Arrays.sort(v);
        return v[v.length / 2];
    }

    /** One run on an emptied target: commands/s and redis-server CPU µs per command. */
    private static double[] run(String url, long pid, boolean exactlyOnce, int commands) throws Exception {
        try (RedisWriter w = RedisWriter.open(RedisTarget.parse(url), WriterConfig.defaults())) {
            w.flushAll();
            TranslateConfig config = TranslateConfig.builder().build();
            TargetIo io = new TargetIo() {
                @Override
                public void submit(RedisCommand c) {
                    try {
                        w.submit(c);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public List<RespReply> call(List<RedisCommand> c) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void flush(TargetFlush f) {
                    throw new UnsupportedOperationException();
                }
            };
            w.loadFunctions(Watermarks.library()); // as the sink's writers do on Redis ≥ 7
            SlotApplier applier = new SlotApplier(config, TargetProfile.redis70(false), System::currentTimeMillis,
                    new TranslationCounters(), r -> { }, io, exactlyOnce ? new AppliedPositions(0) : null,
                    new Watermarks(config.internalKeyPrefix(), !EVAL));
            long cpu0 = cpuMicros(pid);
            long t0 = System.nanoTime();
            long future = System.currentTimeMillis() + 3_600_000;
            for (int i = 0; i < commands; i++) {
                int k = (int) ((i * 2654435761L) % 100_000);
                String key = switch (i % 10) {
                    case 0, 1 -> "counter:" + k;
                    case 2 -> "log:" + k;
                    case 3 -> "hash:" + (k % 1000);
                    case 4, 5, 6 -> "list:" + (k % 1000);
                    default -> "str:" + k;
                };
                List<byte[]> a = switch (i % 10) {
                    case 0 -> List.of(b("INCR"), b(key));
                    case 1 -> List.of(b("INCRBY"), b(key), b("7"));
                    case 2 -> List.of(b("APPEND"), b(key), b("+" + i));
                    case 3 -> List.of(b("HINCRBY"), b(key), b("f" + (i % 13)), b("3"));
                    case 4 -> List.of(b("LPUSH"), b(key), b("l" + i));
                    case 5 -> List.of(b("RPUSH"), b(key), b("r" + i));
                    case 6 -> List.of(b("LPOP"), b(key));
                    case 7 -> List.of(b("SET"), b(key), b("value-" + i + "-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
                    case 8 -> List.of(b("PEXPIREAT"), b(key), b(Long.toString(future)));
                    default -> List.of(b("DEL"), b(key));
                };
                SlotCommand unit = new SlotCommand(0, Slots.slot(b(key)), b(key), a);
                applier.journal(unit, i & 1, i + 1, SlotApplier.opId(1, i & 1, i + 1));
            }
            w.flush();
            long t1 = System.nanoTime();
            long cpu1 = cpuMicros(pid);
            return new double[] {commands / ((t1 - t0) / 1e9), (cpu1 - cpu0) / (double) commands};
        }
    }

    /** utime + stime of a process, in µs (clock ticks of 10 ms on Linux). */
    private static long cpuMicros(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
