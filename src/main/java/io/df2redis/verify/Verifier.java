package io.df2redis.verify;

import io.df2redis.redis.KeyspaceClient;
import io.df2redis.redis.NodeAddress;
import io.df2redis.redis.RedisTarget;
import io.df2redis.resp.RespReply;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares a source keyspace with a target both ways, like RedisFullCheck's rounds: a first pass
 * compares every source key with the target ({@link KeyComparator}, pages handed to {@code
 * verify.parallelism} threads) while one thread per target primary and db looks for keys only in
 * the target; then the keys that differed are checked again, {@code rechecks} times, {@code
 * recheckDelay} apart, and only those still different are reported. So a check run beside a
 * replicating job reports what the job has not repaired, not what was in flight.
 */
public final class Verifier {
    private static final Logger LOG = LoggerFactory.getLogger(Verifier.class);
    private static final List<byte[]> END = new ArrayList<>();

    private final RedisTarget source;
    private final RedisTarget target;
    private final VerifyConfig config;

    /** Differences of the current pass: (side, db, key) → difference. */
    private final Map<DiffKey, Difference> found = new ConcurrentHashMap<>();
    private final AtomicLong compared = new AtomicLong();
    private final AtomicLong typeOnly = new AtomicLong();

    public Verifier(RedisTarget source, RedisTarget target, VerifyConfig config) {
        this.source = source;
        this.target = target;
        this.config = config;
    }

    /** An extra key is named by its target db and name; the others by their source db and name. */
    private record DiffKey(boolean extra, int db, ByteBuffer key) {}

    private static DiffKey key(Difference d) {
        return new DiffKey(d.kind() == Difference.Kind.EXTRA, d.db(), ByteBuffer.wrap(d.key()));
    }

    /**
     * Checks the keys of {@code differences} (found by an earlier run) again, now; returns those
     * still different (the cut-over's check that its repairs took).
     */
    public List<Difference> stillDifferent(List<Difference> differences) throws IOException {
        found.clear();
        for (Difference d : differences) {
            found.put(key(d), d);
        }
        recheck();
        return new ArrayList<>(found.values());
    }

    private record Page(int db, int targetDb, List<byte[]> keys) {}

    /** The outcome: counts, and the differences still there after the rechecks. */
    public record Result(long compared, long typeOnly, List<Difference> differences, long converged, double sample,
            long elapsedMs) {
        public boolean equal() {
            return differences.isEmpty();
        }

        public Map<Difference.Kind, Long> byKind() {
            Map<Difference.Kind, Long> m = new EnumMap<>(Difference.Kind.class);
            for (Difference.Kind k : Difference.Kind.values()) {
                m.put(k, 0L);
            }
            for (Difference d : differences) {
                m.merge(d.kind(), 1L, Long::sum);
            }
            return m;
        }

        /** The one line {@code --mode verify} prints. */
        public String summary() {
            StringBuilder kinds = new StringBuilder();
            for (Map.Entry<Difference.Kind, Long> e : byKind().entrySet()) {
                kinds.append(kinds.length() == 0 ? "" : ", ").append(e.getKey().label()).append(' ').append(e.getValue());
            }
            double secs = Math.max(elapsedMs, 1) / 1000.0;
            return String.format(java.util.Locale.ROOT,
                    "%s: %d keys compared%s, %d equal, %d different (%s); %d differed, then converged; %d compared by type"
                            + " and expiry only; %.1f s, %.0f keys/s",
                    equal() ? "EQUAL" : "DIFFERENT", compared, sample < 1 ? String.format(java.util.Locale.ROOT,
                            " (sample %.4g of the keys)", sample) : "",
                    compared - differences.size(), differences.size(), kinds, converged, typeOnly, secs, compared / secs);
        }
    }

    public Result run() throws IOException, InterruptedException {
        long start = System.currentTimeMillis();
        List<Integer> sourceDbs;
        List<Integer> targetDbs;
        List<NodeAddress> targetNodes;
        try (KeyspaceClient s = KeyspaceClient.open(source); KeyspaceClient t = KeyspaceClient.open(target)) {
            sourceDbs = new ArrayList<>(s.databasesWithKeys());
            targetDbs = new ArrayList<>(t.databasesWithKeys());
            targetNodes = t.scanNodes();
            for (int db : sourceDbs) {
                int to = config.targetDb().apply(db);
                if (t.cluster() && to != VerifyConfig.IGNORED && to != 0) {
                    throw new IllegalArgumentException("source db " + db + " has keys, but the cluster target " + target
                            + " has only db 0: map it (db-map) as the job does");
                }
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(1 + config.parallelism() + targetNodes.size() * Math.max(1, targetDbs.size()),
                r -> {
                    Thread th = new Thread(r, "df2redis-verify");
                    th.setDaemon(true);
                    return th;
                });
        try {
            List<Future<?>> work = new ArrayList<>();
            BlockingQueue<Page> pages = new ArrayBlockingQueue<>(config.parallelism() * 2);
            for (int i = 0; i < config.parallelism(); i++) {
                work.add(pool.submit(() -> compareWorker(pages)));
            }
            for (NodeAddress node : targetNodes) {
                for (int db : targetDbs) {
                    work.add(pool.submit(() -> extrasWorker(node, db)));
                }
            }
            Future<?> scan = pool.submit(() -> scanSource(sourceDbs, pages));
            work.add(scan);
            for (Future<?> f : work) {
                await(f, pool);
            }
            long converged = 0;
            for (int round = 1; round <= config.rechecks() && !found.isEmpty(); round++) {
                int before = found.size();
                LOG.info("verify: {} keys differ; checking them again in {} ms (recheck {} of {})", before,
                        config.recheckDelay().toMillis(), round, config.rechecks());
                Thread.sleep(config.recheckDelay().toMillis());
                recheck();
                converged += before - found.size();
            }
            List<Difference> left = new ArrayList<>(found.values());
            left.sort((a, b) -> a.db() != b.db() ? Integer.compare(a.db(), b.db()) : java.util.Arrays.compare(a.key(), b.key()));
            if (config.report() != null) {
                VerifyReport.write(config.report(), left);
            }
            return new Result(compared.get(), typeOnly.get(), left, converged, config.sample(), System.currentTimeMillis() - start);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void await(Future<?> f, ExecutorService pool) throws IOException, InterruptedException {
        try {
            f.get();
        } catch (ExecutionException e) {
            pool.shutdownNow();
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(c.getMessage(), c);
        }
    }

    private Void scanSource(List<Integer> dbs, BlockingQueue<Page> pages) throws IOException, InterruptedException {
        try (KeyspaceClient s = KeyspaceClient.open(source)) {
            for (int db : dbs) {
                Integer targetDb = config.targetDb().apply(db);
                if (targetDb == VerifyConfig.IGNORED) {
                    LOG.info("verify: source db {} is left out by the db mapping", db);
                    continue;
                }
                for (NodeAddress node : s.scanNodes()) {
                    KeyspaceClient.ScanPage p;
                    String cursor = "0";
                    do {
                        p = s.scan(node, db, cursor, config.scanCount());
                        cursor = p.cursor();
                        List<byte[]> keys = new ArrayList<>();
                        for (byte[] k : sampled(p.keys())) {
                            if (config.scope().sourceKey(k)) {
                                keys.add(k);
                            }
                        }
                        if (!keys.isEmpty()) {
                            pages.put(new Page(db, targetDb, keys));
                        }
                    } while (!p.last());
                }
            }
        } finally {
            for (int i = 0; i < config.parallelism(); i++) {
                pages.put(new Page(-1, -1, END));
            }
        }
        return null;
    }

    private Void compareWorker(BlockingQueue<Page> pages) throws IOException, InterruptedException {
        try (KeyspaceClient s = KeyspaceClient.open(source); KeyspaceClient t = KeyspaceClient.open(target)) {
            KeyComparator cmp = new KeyComparator(s, t, config);
            long[] n = new long[1];
            while (true) {
                Page p = pages.take();
                if (p.keys() == END) {
                    break;
                }
                for (Difference d : cmp.compare(p.db(), p.targetDb(), p.keys(), n)) {
                    found.put(key(d), d);
                }
            }
            compared.addAndGet(n[0]);
            typeOnly.addAndGet(cmp.typeOnly());
        }
        return null;
    }

    /** Keys of one target primary and db that no source db writing into it has. */
    private Void extrasWorker(NodeAddress node, int targetDb) throws IOException {
        List<Integer> candidates = config.sourceDbs().apply(targetDb);
        try (KeyspaceClient s = KeyspaceClient.open(source); KeyspaceClient t = KeyspaceClient.open(target)) {
            KeyComparator cmp = new KeyComparator(s, t, config);
            String cursor = "0";
            do {
                KeyspaceClient.ScanPage p = t.scan(node, targetDb, cursor, config.scanCount());
                cursor = p.cursor();
                // Target keys by their source names; keys of no copied source key are not the job's.
                List<byte[]> keys = new ArrayList<>();
                java.util.Map<ByteBuffer, byte[]> targetNameOf = new java.util.HashMap<>();
                for (byte[] k : p.keys()) {
                    byte[] source = internal(k) ? null : config.scope().sourceName(k);
                    if (source != null && config.scope().sourceKey(source) && sampled(List.of(source)).size() == 1) {
                        keys.add(source);
                        targetNameOf.put(ByteBuffer.wrap(source), k);
                    }
                }
                List<byte[]> extra = new ArrayList<>();
                for (byte[] sourceName : absentFromSource(s, candidates, keys)) {
                    extra.add(targetNameOf.get(ByteBuffer.wrap(sourceName)));
                }
                if (!extra.isEmpty()) {
                    KeyState[] states = cmp.targetStates(targetDb, extra);
                    for (int i = 0; i < extra.size(); i++) {
                        if (states[i].exists() && config.scope().type(states[i].type())) {
                            compared.incrementAndGet();
                            found.put(new DiffKey(true, targetDb, ByteBuffer.wrap(extra.get(i))),
                                    new Difference(targetDb, extra.get(i), Difference.Kind.EXTRA, KeyState.ABSENT, states[i]));
                        }
                    }
                }
            } while (!cursor.equals("0"));
        }
        return null;
    }

    private static List<byte[]> absentFromSource(KeyspaceClient s, List<Integer> sourceDbs, List<byte[]> keys) throws IOException {
        List<byte[]> absent = keys;
        for (int db : sourceDbs) {
            if (absent.isEmpty()) {
                break;
            }
            List<byte[][]> exists = new ArrayList<>(absent.size());
            for (byte[] k : absent) {
                exists.add(new byte[][] {KeyComparator.b("EXISTS"), k});
            }
            List<RespReply> r = s.read(db, exists);
            List<byte[]> still = new ArrayList<>();
            for (int i = 0; i < absent.size(); i++) {
                if (r.get(i) instanceof RespReply.Error e) {
                    throw new IOException("EXISTS " + VerifyReport.printable(absent.get(i)) + " on the source: " + e.message());
                }
                if (r.get(i).asLong() == 0) {
                    still.add(absent.get(i));
                }
            }
            absent = still;
        }
        return absent;
    }

    /** Checks every key that differed again; keeps those still different (under their kind now). */
    private void recheck() throws IOException {
        List<Map.Entry<DiffKey, Difference>> again = new ArrayList<>(found.entrySet());
        found.clear();
        try (KeyspaceClient s = KeyspaceClient.open(source); KeyspaceClient t = KeyspaceClient.open(target)) {
            KeyComparator cmp = new KeyComparator(s, t, config);
            long[] ignored = new long[1];
            for (Map.Entry<DiffKey, Difference> e : again) {
                Difference d = e.getValue();
                if (!e.getKey().extra()) {
                    for (Difference now : cmp.compare(d.db(), config.targetDb().apply(d.db()), List.of(d.key()), ignored)) {
                        found.put(key(now), now);
                    }
                } else if (!absentFromSource(s, config.sourceDbs().apply(d.db()), List.of(config.scope().sourceName(d.key()))).isEmpty()) {
                    KeyState now = cmp.targetStates(d.db(), List.of(d.key()))[0];
                    if (now.exists()) {
                        found.put(e.getKey(), new Difference(d.db(), d.key(), Difference.Kind.EXTRA, KeyState.ABSENT, now));
                    }
                }
            }
        }
    }

    private boolean internal(byte[] key) {
        String p = config.ignorePrefix();
        if (p == null || p.isEmpty() || key.length < p.length()) {
            return false;
        }
        for (int i = 0; i < p.length(); i++) {
            if (key[i] != (byte) p.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The keys of the sample: chosen by a hash of the key, so both directions pick the same keys. */
    private List<byte[]> sampled(List<byte[]> keys) {
        if (config.sample() >= 1) {
            return keys;
        }
        long limit = (long) (config.sample() * 4294967296.0);
        List<byte[]> out = new ArrayList<>();
        for (byte[] k : keys) {
            CRC32 crc = new CRC32();
            crc.update(k);
            if (crc.getValue() < limit) {
                out.add(k);
            }
        }
        return out;
    }
}
