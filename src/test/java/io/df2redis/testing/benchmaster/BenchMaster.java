package io.df2redis.testing.benchmaster;

import io.df2redis.dragonfly.encode.ValueEncoder;
import io.df2redis.testing.dfsim.DfSim;
import io.df2redis.testing.dfsim.DfSimConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Dragonfly v1.40 master for benchmarks: the simulator's protocol side ({@link DfSim}) with an
 * engine that generates a dataset of any size while streaming it ({@link BenchEngine}). See
 * benchmarks/job/README.md.
 *
 * <pre>
 * BenchMaster serve    [master flags]   listen on a free loopback port until stopped (SIGTERM)
 * BenchMaster generate [master flags]   generation rate in process: every flow's stream into a null sink
 * BenchMaster drain    [master flags]   full sync over loopback to a replica that discards it
 * BenchMaster verify --target HOST:PORT[,HOST:PORT…] --keys N [--writes W] [--samples S] [--value-bytes B] [--seed S]
 * </pre>
 *
 * Master flags: {@link BenchMasterConfig#parse}.
 */
public final class BenchMaster implements AutoCloseable {
    private final DfSim sim;
    private final BenchStats stats;

    private BenchMaster(DfSim sim, BenchStats stats) {
        this.sim = sim;
        this.stats = stats;
    }

    /** Starts a master on a free loopback port. */
    public static BenchMaster start(BenchMasterConfig cfg) throws IOException {
        BenchStats stats = new BenchStats(cfg.statsFile());
        stats.put("keys", cfg.keys());
        stats.put("flows", cfg.flows());
        stats.put("value_bytes", cfg.valueBytes());
        stats.put("compression", describe(cfg));
        stats.put("flush_bytes", cfg.flushBytes());
        stats.put("fullsync_end_flows", 0);
        stats.put("snapshot_bytes", 0);
        DfSimConfig simConfig = new DfSimConfig(cfg.flows(), BenchEngine.VERSION, 5, true, null, null, Duration.ofSeconds(30),
                8192, null, Duration.ZERO, cfg.streamOptions(), ValueEncoder.Options.defaults(), 2 << 20, 256 << 10);
        DfSim sim = DfSim.custom(simConfig, s -> new BenchEngine(s, cfg, stats));
        stats.put("port", sim.port());
        stats.put("start_ms", System.currentTimeMillis());
        return new BenchMaster(sim, stats);
    }

    /** lz4 (native), lz4 (java) or none. */
    static String describe(BenchMasterConfig cfg) {
        return cfg.compression().name().toLowerCase(java.util.Locale.ROOT)
                + (cfg.compression() == io.df2redis.dragonfly.encode.FlowStreamWriter.Compression.LZ4
                        ? (cfg.nativeLz4() ? " (native)" : " (java)") : "");
    }

    public int port() {
        return sim.port();
    }

    public DfSim sim() {
        return sim;
    }

    /** The figures so far ({@code key=value}, as in the stats file). */
    public java.util.Map<String, String> stats() {
        return stats.all();
    }

    @Override
    public void close() {
        sim.close();
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage("a command is needed");
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (args[0]) {
            case "serve" -> serve(BenchMasterConfig.parse(rest));
            case "generate" -> generate(BenchMasterConfig.parse(rest));
            case "drain" -> drain(BenchMasterConfig.parse(rest));
            case "verify" -> System.exit(verify(rest) ? 0 : 1);
            default -> usage("unknown command " + args[0]);
        }
    }

    private static void usage(String why) {
        System.err.println("benchmaster: " + why + "\nusage: BenchMaster serve|generate|drain [--keys N] [--flows F]"
                + " [--value-bytes B] [--compression lz4|none] [--lz4 native|java] [--flush-bytes B] [--phases RATE:SEC,…] [--stable-delay SEC]"
                + " [--lag-warmup SEC] [--sample-ms MS] [--stats FILE]\n"
                + "       BenchMaster verify --target HOST:PORT[,HOST:PORT…] (a cluster: every primary) --keys N [--writes W] [--samples S] [--value-bytes B] [--seed S]");
        System.exit(2);
    }

    private static void serve(BenchMasterConfig cfg) throws IOException, InterruptedException {
        BenchMaster m = start(cfg);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            m.close();
            stopped.countDown();
        }, "benchmaster-shutdown"));
        System.out.println("benchmaster: listening on 127.0.0.1:" + m.port() + " (" + cfg.keys() + " keys, " + cfg.flows()
                + " flows, " + describe(cfg) + ")");
        System.out.flush();
        stopped.await();
    }

    /** Every flow's full sync generated on its own thread into a null sink (no sockets). */
    private static void generate(BenchMasterConfig cfg) throws InterruptedException {
        AtomicLong bytes = new AtomicLong();
        AtomicLong entries = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int f = 0; f < cfg.flows(); f++) {
            int flow = f;
            Thread t = new Thread(() -> {
                SnapshotStream s = new SnapshotStream(cfg, flow, 0, b -> { });
                s.header(BenchEngine.VERSION);
                s.body(() -> false, () -> { });
                bytes.addAndGet(s.wireBytes());
                entries.addAndGet(s.entries());
            }, "generate-flow-" + f);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        double raw = entries.get() * (1.0 + 1 + BenchData.keyLength() + 1 + cfg.valueBytes());
        System.out.printf("generate: %d keys on %d flows (%s, flush %d B) in %.2f s = %.0f keys/s, %.1f MB/s on the wire,"
                        + " compression ratio %.2f%n", entries.get(), cfg.flows(), describe(cfg), cfg.flushBytes(), sec,
                entries.get() / sec, bytes.get() / 1e6 / sec, raw / bytes.get());
    }

    /** A full sync over loopback into {@link NullReplica}. */
    private static void drain(BenchMasterConfig cfg) throws IOException, InterruptedException {
        try (BenchMaster m = start(cfg)) {
            NullReplica.Result r = NullReplica.fullSync(m.port(), cfg.keys());
            System.out.printf("drain: %d keys on %d flows (%s, flush %d B) in %.2f s = %.0f keys/s, %.1f MB/s over loopback%n",
                    r.keys(), cfg.flows(), describe(cfg), cfg.flushBytes(), r.nanos() / 1e9, r.keysPerSecond(),
                    r.megabytesPerSecond());
            if (!m.sim().violations().isEmpty()) {
                throw new IllegalStateException("the null replica broke the protocol: " + m.sim().violations());
            }
        }
    }

    private static boolean verify(List<String> args) throws IOException {
        String target = null;
        long keys = -1;
        long writes = 0;
        int samples = 2000;
        int valueBytes = BenchMasterConfig.defaults().valueBytes();
        long seed = BenchMasterConfig.defaults().seed();
        for (int i = 0; i + 1 < args.size(); i += 2) {
            String v = args.get(i + 1);
            switch (args.get(i)) {
                case "--target" -> target = v;
                case "--keys" -> keys = BenchMasterConfig.parseCount(v);
                case "--writes" -> writes = Long.parseLong(v);
                case "--samples" -> samples = Integer.parseInt(v);
                case "--value-bytes" -> valueBytes = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                default -> usage("unknown verify flag " + args.get(i));
            }
        }
        if (target == null || keys < 1 || args.size() % 2 != 0) {
            usage("verify needs --target HOST:PORT and --keys N");
        }
        TargetCheck.Result r = TargetCheck.check(List.of(target.split(",")), new BenchData(keys, valueBytes, seed), writes, samples);
        System.out.printf("verify: %s dbsize=%d expected=%d sampled=%d wrong_values=%d%n", r.ok() ? "OK" : "FAILED", r.dbsize(),
                keys, r.sampled(), r.wrongValues());
        for (String p : r.problems()) {
            System.out.println("verify: " + p);
        }
        return r.ok();
    }
}
