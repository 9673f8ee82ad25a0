package io.df2redis.testing.benchmaster;

import io.df2redis.dragonfly.encode.FlowStreamWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the benchmark master serves.
 *
 * @param keys dataset size; @param valueBytes bytes per value; @param seed value generator seed
 * @param flows shards = flows
 * @param compression LZ4 (Dragonfly's default MULTI_ENTRY_LZ4) or NONE
 * @param nativeLz4 LZ4 frames from the native LZ4 ({@link NativeLz4Blobs}, flushes up to 64 KiB) rather
 *     than the main-code encoder's Java matcher ({@code Lz4Frame}, linked blocks)
 * @param flushBytes serialized bytes gathered before a flush (one blob); a v1.40 master pushes at
 *     8 KB ({@code kMinBlobSize}), and the recordings show 8–22 KiB LZ4 inputs for small entries
 * @param stableDelay after STARTSTABLE, wait this long before the stable writes start
 * @param phases stable write phases (rate, duration), run one after the other
 * @param lagWarmup the start of each phase left out of its lag figures
 * @param sampleEvery lag sampling period
 * @param statsFile key=value figures, rewritten at every event (null = none); the master listens
 *     on a free loopback port and writes it there as {@code port=}
 * @param probeTarget HOST:PORT of the replica's target, read during the phases to tell how far
 *     behind the master the target really is ({@link VisibilityProbe}); null = no probe
 */
public record BenchMasterConfig(
        long keys,
        int valueBytes,
        long seed,
        int flows,
        FlowStreamWriter.Compression compression,
        boolean nativeLz4,
        int flushBytes,
        Duration stableDelay,
        List<Phase> phases,
        Duration lagWarmup,
        Duration sampleEvery,
        Path statsFile,
        String probeTarget) {

    /** A constant rate of stable {@code SET}s for a while. */
    public record Phase(int ratePerSecond, Duration duration) {
        static Phase parse(String s) {
            String[] p = s.split(":");
            if (p.length != 2) {
                throw new IllegalArgumentException("a phase is <SETs per second>:<seconds>, not '" + s + "'");
            }
            return new Phase(Integer.parseInt(p[0].trim()), Duration.ofMillis((long) (Double.parseDouble(p[1].trim()) * 1000)));
        }
    }

    public static BenchMasterConfig defaults() {
        return new BenchMasterConfig(1_000_000, 100, 42, 2, FlowStreamWriter.Compression.LZ4, true, 8192, Duration.ofSeconds(5),
                List.of(), Duration.ofSeconds(15), Duration.ofMillis(250), null, null);
    }

    /** The options of the main-code encoder; with native LZ4 it writes raw flushes that {@link NativeLz4Blobs} compresses. */
    public FlowStreamWriter.Options streamOptions() {
        FlowStreamWriter.Compression c = compression == FlowStreamWriter.Compression.LZ4 && nativeLz4
                ? FlowStreamWriter.Compression.NONE : compression;
        return new FlowStreamWriter.Options(c, flushBytes, 64 * 1024, true, true);
    }

    public boolean usesNativeLz4() {
        return compression == FlowStreamWriter.Compression.LZ4 && nativeLz4;
    }

    public BenchData data() {
        return new BenchData(keys, valueBytes, seed);
    }

    public BenchMasterConfig withKeys(long n) {
        return new BenchMasterConfig(n, valueBytes, seed, flows, compression, nativeLz4, flushBytes, stableDelay, phases, lagWarmup,
                sampleEvery, statsFile, probeTarget);
    }

    public BenchMasterConfig withFlows(int n) {
        return new BenchMasterConfig(keys, valueBytes, seed, n, compression, nativeLz4, flushBytes, stableDelay, phases, lagWarmup,
                sampleEvery, statsFile, probeTarget);
    }

    public BenchMasterConfig withCompression(FlowStreamWriter.Compression c) {
        return new BenchMasterConfig(keys, valueBytes, seed, flows, c, nativeLz4, flushBytes, stableDelay, phases, lagWarmup,
                sampleEvery, statsFile, probeTarget);
    }

    public BenchMasterConfig withNativeLz4(boolean on) {
        return new BenchMasterConfig(keys, valueBytes, seed, flows, compression, on, flushBytes, stableDelay, phases, lagWarmup,
                sampleEvery, statsFile, probeTarget);
    }

    public BenchMasterConfig withPhases(Duration delay, List<Phase> p, Duration warmup) {
        return new BenchMasterConfig(keys, valueBytes, seed, flows, compression, nativeLz4, flushBytes, delay, p, warmup,
                sampleEvery, statsFile, probeTarget);
    }

    /**
     * {@code --keys N --value-bytes B --seed S --flows F --compression lz4|none --lz4 native|java --flush-bytes B
     * --stable-delay SEC --phases RATE:SEC[,RATE:SEC…] --lag-warmup SEC --sample-ms MS --stats FILE --probe-target HOST:PORT
     * }; unknown flags are an error naming the flag.
     */
    public static BenchMasterConfig parse(List<String> args) {
        BenchMasterConfig c = defaults();
        long keys = c.keys;
        int valueBytes = c.valueBytes;
        long seed = c.seed;
        int flows = c.flows;
        FlowStreamWriter.Compression compression = c.compression;
        boolean nativeLz4 = c.nativeLz4;
        int flushBytes = c.flushBytes;
        Duration delay = c.stableDelay;
        List<Phase> phases = new ArrayList<>();
        Duration warmup = c.lagWarmup;
        Duration sample = c.sampleEvery;
        Path stats = null;
        String probe = null;
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String v = args.get(++i);
            switch (flag) {
                case "--keys" -> keys = parseCount(v);
                case "--value-bytes" -> valueBytes = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--flows" -> flows = Integer.parseInt(v);
                case "--compression" -> compression = FlowStreamWriter.Compression.valueOf(v.toUpperCase(Locale.ROOT));
                case "--lz4" -> nativeLz4 = switch (v) {
                    case "native" -> true;
                    case "java" -> false;
                    default -> throw new IllegalArgumentException("--lz4: native or java, not " + v);
                };
                case "--flush-bytes" -> flushBytes = Integer.parseInt(v);
                case "--stable-delay" -> delay = seconds(v);
                case "--phases" -> {
                    for (String p : v.split(",")) {
                        if (!p.isBlank()) {
                            phases.add(Phase.parse(p));
                        }
                    }
                }
                case "--lag-warmup" -> warmup = seconds(v);
                case "--sample-ms" -> sample = Duration.ofMillis(Long.parseLong(v));
                case "--stats" -> stats = Path.of(v);
                case "--probe-target" -> probe = v;
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (flows < 1 || flows > 1024) {
            throw new IllegalArgumentException("--flows must be in [1, 1024]: " + flows);
        }
        if (compression == FlowStreamWriter.Compression.ZSTD) {
            throw new IllegalArgumentException("--compression: lz4 or none");
        }
        return new BenchMasterConfig(keys, valueBytes, seed, flows, compression, nativeLz4, flushBytes, delay, List.copyOf(phases),
                warmup, sample, stats, probe);
    }

    /** 200000, 200k, 1m, 10M. */
    static long parseCount(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (s.endsWith("k")) {
            mult = 1_000;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            mult = 1_000_000;
            s = s.substring(0, s.length() - 1);
        }
        return Long.parseLong(s) * mult;
    }

    private static Duration seconds(String v) {
        return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
    }
}
