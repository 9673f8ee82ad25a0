package io.df2redis.testing.dfsim;

import io.df2redis.translate.DragonflySharding;
import io.df2redis.testing.recordings.Bytes;
import io.df2redis.dragonfly.encode.FlowStreamWriter;
import io.df2redis.dragonfly.encode.JournalEncoder;
import io.df2redis.dragonfly.encode.RdbWriter;
import io.df2redis.dragonfly.encode.ValueEncoder;
import io.df2redis.testing.dfsim.DfSim.SimFlow;
import io.df2redis.testing.dfsim.DfSim.SimSession;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The generating master: an authoritative dataset sharded over N flows with Dragonfly's shard
 * function, a journal per shard with LSNs and a bounded backlog, and per flow a writer thread that
 * produces the full-sync stream lazily (paced by the socket, like the master's snapshot fiber):
 * the snapshot taken at the {@code DFLY SYNC} cut, with journal blobs of concurrent writes
 * interleaved (a key's baseline always before its first journal entry), tagged chunks and
 * compressed blobs from {@link FlowStreamWriter}, then the stable journal.
 */
public final class GeneratedEngine implements DfSim.Engine {
    private static final Object POISON = new Object();

    private final DfSim sim;
    private final DfSimConfig cfg;
    private final SecureRandom rnd = new SecureRandom();
    private final SimDataset data = new SimDataset();
    private final ValueEncoder encoder;
    private String masterId;
    private Shard[] shards;
    private long txCounter;
    private volatile long paceNanos;
    private final java.util.concurrent.atomic.AtomicLong taggedChunks = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong compressedBlobs = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong journalBlobs = new java.util.concurrent.atomic.AtomicLong();
    private final Map<Integer, Long> cuts = new java.util.concurrent.ConcurrentHashMap<>();

    private record BacklogEntry(long lsn, byte[] bytes, long nanos) {}

    private record JournalItem(long lsn, int db, List<Bytes> keys, byte[] bytes) {}

    private record StableMarker(long offset, List<BacklogEntry> replay) {}

    private static final class Shard {
        boolean started;
        long nextLsn;
        final ArrayDeque<BacklogEntry> backlog = new ArrayDeque<>();
        final List<FlowWriter> listeners = new ArrayList<>();
    }

    GeneratedEngine(DfSim sim) {
        this.sim = sim;
        this.cfg = sim.config;
        this.encoder = new ValueEncoder(cfg.values());
        this.masterId = DfSim.randomHex(rnd, 40);
        this.shards = newShards(cfg.numFlows());
    }

    private static Shard[] newShards(int n) {
        Shard[] s = new Shard[n];
        for (int i = 0; i < n; i++) {
            s[i] = new Shard();
        }
        return s;
    }

    // ------------------------------------------------------------------------------------------
    // The test's side: data and writes

    private SimDataset datasetAtStableCut;

    /** A copy of the master's data now. */
    public SimDataset dataset() {
        synchronized (sim.lock) {
            return data.snapshot();
        }
    }

    public int shardOf(byte[] key) {
        return DragonflySharding.DEFAULT.shard(key, cfg.numFlows());
    }

    /**
     * Puts a value without journaling it, like data loaded before any replica connected. Refused
     * once a journal runs (it would be a write the replicas never hear of).
     */
    public void seed(int db, String key, SimValue value) {
        seed(db, key.getBytes(StandardCharsets.UTF_8), value);
    }

    public void seed(int db, byte[] key, SimValue value) {
        synchronized (sim.lock) {
            for (Shard s : shards) {
                if (s.started) {
                    throw new IllegalStateException("seed() after a journal started: use write()");
                }
            }
            data.put(db, Bytes.of(key), value);
        }
    }

    public void write(int db, String... args) {
        List<byte[]> a = new ArrayList<>();
        for (String s : args) {
            a.add(s.getBytes(StandardCharsets.UTF_8));
        }
        write(db, a);
    }

    /**
     * A client write: applied to the dataset and journaled in the master's deterministic form on
     * the shard(s) it touches: SET [EX|PX|PXAT] → SET … PXAT, EXPIRE → PEXPIREAT, DEL only of
     * existing keys per shard, FLUSHALL/FLUSHDB on every shard with one txid, others verbatim.
     */
    public void write(int db, List<byte[]> args) {
        String cmd = text(args.get(0)).toUpperCase(Locale.ROOT);
        sim.awaitWritesAllowed(); // CLIENT PAUSE … WRITE holds the client
        synchronized (sim.lock) {
            switch (cmd) {
                case "SET": {
                    List<byte[]> j = new ArrayList<>(args.subList(0, 3));
                    for (int i = 3; i < args.size(); i++) {
                        String opt = text(args.get(i)).toUpperCase(Locale.ROOT);
                        long v = i + 1 < args.size() ? Long.parseLong(text(args.get(i + 1))) : 0;
                        long abs = switch (opt) {
                            case "EX" -> System.currentTimeMillis() + v * 1000;
                            case "PX" -> System.currentTimeMillis() + v;
                            case "PXAT" -> v;
                            default -> throw new IllegalArgumentException("SET option " + opt + " not simulated");
                        };
                        i++;
                        j.add(bytes("PXAT"));
                        j.add(bytes(Long.toString(abs)));
                    }
                    journal(db, 0, j, List.of(Bytes.of(args.get(1))));
                    data.apply(db, j);
                    break;
                }
                case "EXPIRE": {
                    long abs = System.currentTimeMillis() + Long.parseLong(text(args.get(2))) * 1000;
                    List<byte[]> j = List.of(bytes("PEXPIREAT"), args.get(1), bytes(Long.toString(abs)));
                    if (data.get(db, Bytes.of(args.get(1))) != null) {
                        journal(db, 0, j, List.of(Bytes.of(args.get(1))));
                        data.apply(db, j);
                    }
                    break;
                }
                case "DEL": {
                    Map<Integer, List<byte[]>> perShard = new TreeMap<>();
                    for (int i = 1; i < args.size(); i++) {
                        if (data.get(db, Bytes.of(args.get(i))) != null) {
                            perShard.computeIfAbsent(shardOf(args.get(i)), s -> new ArrayList<>()).add(args.get(i));
                        }
                    }
                    long txid = perShard.size() > 1 ? ++txCounter : 0;
                    for (Map.Entry<Integer, List<byte[]>> e : perShard.entrySet()) {
                        List<byte[]> j = new ArrayList<>();
                        j.add(bytes("DEL"));
                        j.addAll(e.getValue());
                        List<Bytes> keys = new ArrayList<>();
                        for (byte[] k : e.getValue()) {
                            keys.add(Bytes.of(k));
                        }
                        record(e.getKey(), db, txid, j, keys);
                        data.apply(db, j);
                    }
                    break;
                }
                case "FLUSHALL", "FLUSHDB": {
                    long txid = ++txCounter;
                    for (int s = 0; s < shards.length; s++) {
                        record(s, db, txid, args, List.of());
                    }
                    data.apply(db, args);
                    break;
                }
                case "RENAME": {
                    // Journaled verbatim when both keys are on one shard (protocol doc §7.6); the
                    // cross-shard form (DEL + RESTORE of a DUMP) is not simulated. A missing source errs.
                    if (shardOf(args.get(1)) != shardOf(args.get(2))) {
                        throw new IllegalArgumentException("the simulator journals RENAME only within one shard");
                    }
                    if (data.get(db, Bytes.of(args.get(1))) != null) {
                        journal(db, 0, args, List.of(Bytes.of(args.get(1)), Bytes.of(args.get(2))));
                        data.apply(db, args);
                    }
                    break;
                }
                case "SPOP": {
                    // Journaled as SREM of the popped member, or DEL when the set empties (§7.6).
                    SimValue v = data.get(db, Bytes.of(args.get(1)));
                    if (v != null && v.kind() == SimValue.Kind.SET && !v.set.isEmpty()) {
                        List<byte[]> j = v.set.size() == 1 ? List.of(bytes("DEL"), args.get(1))
                                : List.of(bytes("SREM"), args.get(1), v.set.first().toByteArray());
                        journal(db, 0, j, List.of(Bytes.of(args.get(1))));
                        data.apply(db, j);
                    }
                    break;
                }
                case "LPOP", "RPOP": {
                    // Journaled only when it popped something (as DEL only of existing keys).
                    SimValue v = data.get(db, Bytes.of(args.get(1)));
                    if (v != null && v.kind() == SimValue.Kind.LIST && !v.list.isEmpty()) {
                        journal(db, 0, args, List.of(Bytes.of(args.get(1))));
                        data.apply(db, args);
                    }
                    break;
                }
                case "INCR", "DECR", "INCRBY", "APPEND", "HINCRBY", "ZINCRBY", "LPUSH", "RPUSH", "SADD", "SREM", "HSET",
                        "HDEL", "ZADD", "PEXPIREAT", "PERSIST": {
                    journal(db, 0, args, List.of(Bytes.of(args.get(1))));
                    data.apply(db, args);
                    break;
                }
                default:
                    throw new IllegalArgumentException("the simulator does not journal " + cmd);
            }
        }
    }

    /**
     * {@code ZUNIONSTORE dst …} (or ZINTERSTORE/ZDIFFSTORE/ZRANGESTORE) as a Dragonfly ≤ v1.40.1
     * master does it: the destination holds the exact scores, but the journal carries them printed
     * with 6 significant digits ({@code DEL dst} + {@code ZADD dst %g member …}), so every replica,
     * Dragonfly's own included, ends with rounded scores (the lossy rewrite the cut-over repairs).
     */
    public void lossyZsetStore(int db, String dst, Map<String, Double> scores) {
        sim.awaitWritesAllowed();
        synchronized (sim.lock) {
            byte[] key = bytes(dst);
            long txid = ++txCounter;
            List<byte[]> del = List.of(bytes("DEL"), key);
            List<byte[]> zadd = new ArrayList<>(List.of(bytes("ZADD"), key));
            List<byte[]> exact = new ArrayList<>(List.of(bytes("ZADD"), key));
            for (Map.Entry<String, Double> e : scores.entrySet()) {
                zadd.add(bytes(String.format(Locale.ROOT, "%g", e.getValue())));
                zadd.add(bytes(e.getKey()));
                exact.add(bytes(Double.toString(e.getValue())));
                exact.add(bytes(e.getKey()));
            }
            int shard = shardOf(key);
            record(shard, db, txid, del, List.of(Bytes.of(key)));
            record(shard, db, txid, zadd, List.of(Bytes.of(key)));
            data.apply(db, del);
            data.apply(db, exact);
        }
    }

    /** {@code WAIT}: a PING record on every shard. */
    public void ping() {
        synchronized (sim.lock) {
            byte[] b = JournalEncoder.ping(new RdbWriter(4)).toByteArray();
            for (int s = 0; s < shards.length; s++) {
                append(s, 0, List.of(), b);
            }
        }
    }

    /** Active expiry: deletes keys due at {@code nowMs}, each journaled as {@code DEL key} (txid 0). */
    public int expire(long nowMs) {
        synchronized (sim.lock) {
            List<Map.Entry<Integer, Bytes>> gone = data.expire(nowMs);
            for (Map.Entry<Integer, Bytes> e : gone) {
                byte[] k = e.getValue().toByteArray();
                record(shardOf(k), e.getKey(), 0, List.of(bytes("DEL"), k), List.of(e.getValue()));
            }
            return gone.size();
        }
    }

    /** Per shard the next LSN (0 before the journal started): what {@code DFLY REPLICAOFFSET} says. */
    @Override
    public long[] replicaOffsets() {
        synchronized (sim.lock) {
            long[] out = new long[shards.length];
            for (int i = 0; i < shards.length; i++) {
                out[i] = shards[i].started ? shards[i].nextLsn : 0;
            }
            return out;
        }
    }

    /** Drops every backlog entry (as if the backlog time or size had passed). */
    public void evictBacklog() {
        synchronized (sim.lock) {
            for (Shard s : shards) {
                s.backlog.clear();
            }
        }
    }

    /** Drops the backlog of one shard only. */
    public void evictBacklog(int shard) {
        synchronized (sim.lock) {
            shards[shard].backlog.clear();
        }
    }

    /** Slows the snapshot down: a pause before each snapshot entry (leaves room for writes during the sync). */
    public void paceSnapshot(java.time.Duration perEntry) {
        paceNanos = perEntry.toNanos();
    }

    /**
     * Fault injection: flow {@code flow} of the live session closes its connection once it has
     * written {@code offset} bytes in total (a master dying mid-stream).
     */
    public void cutFlowAt(int flow, long offset) {
        cuts.put(flow, offset);
    }

    /** TAGGED_CHUNK records written so far by every flow of every session. */
    public long taggedChunksWritten() {
        return taggedChunks.get();
    }

    /** LZ4/ZSTD blobs written so far. */
    public long compressedBlobsWritten() {
        return compressedBlobs.get();
    }

    /** JOURNAL_BLOB records written so far (writes during a full sync). */
    public long journalBlobsWritten() {
        return journalBlobs.get();
    }

    private String lastMasterId;

    /** The id of the master this node replicated before its promotion, or null. */
    public String lastMasterId() {
        synchronized (sim.lock) {
            return lastMasterId;
        }
    }

    /**
     * Promotion of this data's replica ({@code REPLICAOF NO ONE}): a new master id, the old one kept
     * as the last master's; LSNs continue and the backlog stays (Replica::StartJournalAtOwnLSN).
     */
    void promote() {
        synchronized (sim.lock) {
            lastMasterId = masterId;
            masterId = DfSim.randomHex(rnd, 40);
            for (Shard sh : shards) {
                sh.listeners.clear();
            }
        }
    }

    /** A master restart: new master id, journals and backlogs gone, every session cancelled; data kept. */
    public void restart() {
        for (SimSession s : sim.sessions()) {
            sim.cancel(s, "master restarted");
        }
        synchronized (sim.lock) {
            masterId = DfSim.randomHex(rnd, 40);
            shards = newShards(cfg.numFlows());
        }
        sim.event("master restarted with id " + masterId);
    }

    private void journal(int db, long txid, List<byte[]> args, List<Bytes> keys) {
        record(shardOf(keys.get(0).toByteArray()), db, txid, args, keys);
    }

    private void record(int shard, int db, long txid, List<byte[]> args, List<Bytes> keys) {
        long lsn = append(shard, db, keys, JournalEncoder.selectAndCommand(db, txid, args));
        if (lsn >= 0 && history.size() < HISTORY_LIMIT) {
            StringBuilder sb = new StringBuilder();
            for (byte[] a : args) {
                sb.append(sb.length() == 0 ? "" : " ").append(text(a));
            }
            history.add(new JournalRecord(masterId, shard, lsn, db, keys.stream().map(k -> text(k.toByteArray())).toList(), sb.toString()));
        }
    }

    /** One journaled write, for a failing test to show (diagnostics only). */
    public record JournalRecord(String masterId, int shard, long lsn, int db, List<String> keys, String command) {
        @Override
        public String toString() {
            return "shard " + shard + " LSN " + lsn + " (master " + masterId.substring(0, 8) + ") db " + db + ": " + command;
        }
    }

    private static final int HISTORY_LIMIT = 2_000_000;
    private final List<JournalRecord> history = new ArrayList<>();

    /** Every journaled write that touched {@code key} (of any db), oldest first; FLUSHALL/FLUSHDB too. */
    public List<JournalRecord> journalOf(String key) {
        synchronized (sim.lock) {
            return history.stream().filter(r -> r.keys().isEmpty() || r.keys().contains(key)).toList();
        }
    }

    /** Gives the entry the shard's next LSN, keeps it in the backlog, and hands it to the flows listening. */
    private long append(int shard, int db, List<Bytes> keys, byte[] bytes) {
        Shard s = shards[shard];
        if (!s.started) {
            return -1;
        }
        long lsn = s.nextLsn++;
        s.backlog.addLast(new BacklogEntry(lsn, bytes, System.nanoTime()));
        evict(s);
        JournalItem item = new JournalItem(lsn, db, keys, bytes);
        for (FlowWriter w : s.listeners) {
            w.queue.add(item);
        }
        return lsn;
    }

    private void evict(Shard s) {
        while (s.backlog.size() > cfg.backlogEntries()) {
            s.backlog.pollFirst();
        }
        if (cfg.backlogTime() != null) {
            long oldest = System.nanoTime() - cfg.backlogTime().toNanos();
            while (!s.backlog.isEmpty() && s.backlog.peekFirst().nanos() < oldest) {
                s.backlog.pollFirst();
            }
        }
    }

    /** PARTIAL is possible from {@code lsn}: nothing missed, or still in the backlog. */
    private boolean canResume(Shard s, long lsn) {
        evict(s);
        if (lsn == s.nextLsn) {
            return true;
        }
        return !s.backlog.isEmpty() && s.backlog.peekFirst().lsn() <= lsn && lsn < s.nextLsn;
    }

    // ------------------------------------------------------------------------------------------
    // The protocol's side

    @Override
    public String masterId() {
        return masterId;
    }

    @Override
    public int numFlows() {
        return cfg.numFlows();
    }

    @Override
    public Map<String, String> infoServer() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("dragonfly_version", cfg.version());
        m.put("redis_version", "7.4.0");
        m.put("redis_mode", "standalone");
        m.put("thread_count", Integer.toString(cfg.numFlows()));
        return m;
    }

    @Override
    public byte[] capaReply(SimSession s) {
        return null;
    }

    @Override
    public DfSim.FlowGrant grantFlow(SimSession s, int flow, OptionalLong lsn) {
        for (Shard sh : shards) {
            if (!sh.started) {
                // journal::StartInThread: LSNs start at 1 the first time a replica connects.
                sh.started = true;
                sh.nextLsn = 1;
            }
        }
        boolean partial = lsn.isPresent() && lsn.getAsLong() > 0 && canResume(shards[flow], lsn.getAsLong());
        return new DfSim.FlowGrant(partial, DfSim.randomHex(rnd, 40), partial ? lsn.getAsLong() : -1, null);
    }

    @Override
    public void startFullSync(SimSession s) {
        Map<Integer, FlowWriter> writers = new TreeMap<>();
        for (SimFlow f : s.flows) {
            int shard = f.flowId;
            TreeMap<Integer, TreeMap<Bytes, SimValue>> snap = data.copy(k -> shardOf(k.toByteArray()) == shard);
            FlowWriter w = new FlowWriter(s, f, snap);
            shards[shard].listeners.add(w);
            writers.put(shard, w);
        }
        s.engineState = writers;
        for (FlowWriter w : writers.values()) {
            w.thread.start();
        }
    }

    /** The data as of the last session's stable cut (DFLY STARTSTABLE), or null before one. */
    public SimDataset datasetAtStableCut() {
        synchronized (sim.lock) {
            return datasetAtStableCut;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void startStable(SimSession s) {
        // Called under the simulator's lock, which writes also take: this is the cut exactly.
        datasetAtStableCut = data.snapshot();
        Map<Integer, FlowWriter> writers = s.engineState == null ? new TreeMap<>() : (Map<Integer, FlowWriter>) s.engineState;
        s.engineState = writers;
        for (SimFlow f : s.flows) {
            Shard sh = shards[f.flowId];
            if (!f.partial) {
                writers.get(f.flowId).queue.add(new StableMarker(sh.nextLsn, null));
                continue;
            }
            if (!canResume(sh, f.requestedLsn)) {
                sim.cancel(s, "Partial sync was unsuccessful: flow " + f.flowId + " LSN " + f.requestedLsn
                        + " left the backlog before STARTSTABLE");
                return;
            }
            List<BacklogEntry> replay = new ArrayList<>();
            for (BacklogEntry e : sh.backlog) {
                if (e.lsn() >= f.requestedLsn) {
                    replay.add(e);
                }
            }
            FlowWriter w = new FlowWriter(s, f, null);
            w.queue.add(new StableMarker(sh.nextLsn, replay));
            sh.listeners.add(w);
            writers.put(f.flowId, w);
            w.thread.start();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void cancelled(SimSession s) {
        if (s.engineState == null) {
            return;
        }
        for (FlowWriter w : ((Map<Integer, FlowWriter>) s.engineState).values()) {
            for (Shard sh : shards) {
                sh.listeners.remove(w);
            }
            w.queue.add(POISON);
        }
    }

    @Override
    public void close() {
        for (SimSession s : sim.sessions()) {
            cancelled(s);
        }
    }

    /** Writes one flow: full sync (snapshot + blobs + cut) then the stable journal, or a partial replay. */
    private final class FlowWriter implements Runnable {
        final SimSession session;
        final SimFlow flow;
        final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        final Thread thread;
        private final TreeMap<Integer, TreeMap<Bytes, SimValue>> snapshot;
        private final ArrayDeque<Object[]> pendingOrder = new ArrayDeque<>();
        private final Set<String> pending = new HashSet<>();
        private FlowStreamWriter w;
        private boolean firstStableEntry = true;

        FlowWriter(SimSession session, SimFlow flow, TreeMap<Integer, TreeMap<Bytes, SimValue>> snapshot) {
            this.session = session;
            this.flow = flow;
            this.snapshot = snapshot;
            if (snapshot != null) {
                for (Map.Entry<Integer, TreeMap<Bytes, SimValue>> db : snapshot.entrySet()) {
                    for (Bytes k : db.getValue().keySet()) {
                        pendingOrder.add(new Object[] {db.getKey(), k});
                        pending.add(db.getKey() + "/" + k);
                    }
                }
            }
            thread = new Thread(this, "dfsim-flow-" + flow.flowId + "-" + session.syncId());
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                if (snapshot != null) {
                    fullSync();
                } else {
                    flow.headerWritten.countDown();
                }
                stable();
            } catch (UncheckedIOException e) {
                // the socket closed: the session is being cancelled
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                flow.headerWritten.countDown();
                flow.stableCutWritten.countDown();
            }
        }

        private void fullSync() throws InterruptedException {
            w = new FlowStreamWriter(cfg.stream(), this::emit);
            w.header(aux());
            flow.headerWritten.countDown();
            while (true) {
                Object item = queue.poll();
                if (item == null) {
                    if (!pendingOrder.isEmpty()) {
                        if (paceNanos > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(paceNanos);
                        }
                        Object[] next = pendingOrder.pollFirst();
                        emitBaseline((Integer) next[0], (Bytes) next[1]);
                        continue;
                    }
                    if (!flow.fullSyncEndWritten) {
                        // Set first: no client can have seen FULLSYNC_END before it is written.
                        flow.fullSyncEndWritten = true;
                        w.fullSyncEnd();
                        continue;
                    }
                    w.flush();
                    item = queue.take();
                }
                if (item == POISON) {
                    throw new UncheckedIOException(new java.io.IOException("cancelled"));
                }
                if (item instanceof JournalItem j) {
                    for (Bytes k : j.keys()) {
                        emitBaseline(j.db(), k);
                        w.finishEntry(k.toByteArray());
                    }
                    w.journalBlob(j.bytes());
                    journalBlobs.incrementAndGet();
                } else if (item instanceof StableMarker m) {
                    while (!pendingOrder.isEmpty()) {
                        Object[] next = pendingOrder.pollFirst();
                        emitBaseline((Integer) next[0], (Bytes) next[1]);
                    }
                    if (!flow.fullSyncEndWritten) {
                        flow.fullSyncEndWritten = true;
                        w.fullSyncEnd();
                    }
                    w.stableCut(m.offset(), flow.token);
                    taggedChunks.addAndGet(w.taggedChunks());
                    compressedBlobs.addAndGet(w.compressedBlobs());
                    flow.stableCutWritten.countDown();
                    return;
                }
            }
        }

        /** The key's cut-time value, once, if the snapshot still owes it. */
        private void emitBaseline(int db, Bytes k) {
            if (!pending.remove(db + "/" + k)) {
                return;
            }
            SimValue v = snapshot.get(db).get(k);
            w.entry(db, k.toByteArray(), encoder.encode(v.toDecoded()), v.expireAtMs(), 0, 0);
        }

        private void stable() throws InterruptedException {
            while (true) {
                Object item = queue.take();
                if (item == POISON) {
                    return;
                }
                if (item instanceof StableMarker m) {
                    // Partial flow: the backlog from the requested LSN, then live entries.
                    for (BacklogEntry e : m.replay()) {
                        writeEntry(e.lsn(), e.bytes());
                    }
                    continue;
                }
                JournalItem j = (JournalItem) item;
                writeEntry(j.lsn(), j.bytes());
            }
        }

        /** Writes to the socket, or dies at the injected cut. */
        private void emit(byte[] b) {
            Long cut = cuts.get(flow.flowId);
            if (cut != null && flow.out.bytesWritten() + b.length > cut) {
                cuts.remove(flow.flowId);
                flow.out.write(b, 0, (int) Math.max(0, cut - flow.out.bytesWritten()));
                sim.event("fault: flow " + flow.flowId + " cut at byte " + cut);
                flow.conn.close();
                throw new UncheckedIOException(new java.io.IOException("cut"));
            }
            flow.out.write(b);
        }

        private void writeEntry(long lsn, byte[] bytes) {
            emit(bytes);
            if (firstStableEntry) {
                // The streamer follows the first entry of a session with an LSN record.
                emit(JournalEncoder.lsn(new RdbWriter(12), lsn).toByteArray());
                firstStableEntry = false;
            }
        }

        private String[][] aux() {
            List<String[]> a = new ArrayList<>();
            a.add(new String[] {"redis-ver", "6.2.11"});
            a.add(new String[] {"df-ver", cfg.version()});
            a.add(new String[] {"redis-bits", "64"});
            a.add(new String[] {"ctime", Long.toString(System.currentTimeMillis() / 1000)});
            a.add(new String[] {"used-mem", "1048576"});
            a.add(new String[] {"aof-preamble", "0"});
            if (flow.flowId == 0) {
                a.add(new String[] {"shard-count", Integer.toString(cfg.numFlows())});
                a.add(new String[] {"table-mem", "65536"});
            }
            a.add(new String[] {"shard-id", Integer.toString(flow.flowId)});
            return a.toArray(new String[0][]);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
