package io.df2redis.translate;

import io.df2redis.dragonfly.event.FlowEvent.GlobalCommand;
import io.df2redis.dragonfly.event.FlowEvent.ObjectPart;
import io.df2redis.dragonfly.event.FlowEvent.SnapshotObject;
import io.df2redis.redis.RedisCommand;
import io.df2redis.resp.RespReply;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The half of the translation that runs after the shuffle, in the sink: records of the slots this
 * sink instance owns come in, in arrival order per slot, and leave as target commands through
 * {@link TargetIo}. It joins {@link ObjectTranslator}, {@link JournalTranslator} and {@link
 * GlobalTranslator}, and carries out cross-slot moves ({@link CrossSlotMove}): a slot waiting for a
 * move's source half is <em>parked</em> — its later records are translated and held in order — while
 * every other slot goes on. {@link #poll()} (called from a timer and whenever convenient) releases
 * parked slots; nothing here ever blocks on another sink instance.
 *
 * <p>A global flush (FLUSHALL/FLUSHDB) must follow everything before it: while slots are parked it
 * waits as a barrier, records after it are held behind it, and it is carried out once every parked
 * slot is released.
 *
 * <p>Everything held is part of the sink's checkpoint ({@link #snapshotState(long)}, {@link
 * #restoreState(byte[])}). Single-threaded: the sink's mailbox thread calls every method.
 */
public final class SlotApplier {
    /** Per journal unit at TRACE (never on by default): what a chaos test's failure is traced with. */
    private static final org.slf4j.Logger TRACE = org.slf4j.LoggerFactory.getLogger(SlotApplier.class.getName() + ".trace");
    static final String FINISH = String.join("\n",
            "local m = redis.call('GET', KEYS[3])",
            "if m == 'V' then",
            "  if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('RENAME', KEYS[1], KEYS[2])",
            "  else redis.call('DEL', KEYS[2]) end",
            "end",
            "if m then redis.call('SET', KEYS[3], 'D', 'PX', ARGV[1]) end",
            "return m");

    private final TranslateConfig config;
    private final TargetProfile target;
    private final ObjectTranslator objects;
    private final JournalTranslator journal;
    private final GlobalTranslator globals;
    private final TargetIo io;
    private final LongSupplier clock;
    private final TranslationCounters counters;

    /** Exactly-once journal apply: the watermark scripts and the positions; both null for at-least-once. */
    private final Watermarks watermarks;
    private final AppliedPositions positions;

    private final TreeMap<Integer, ArrayDeque<Item>> parked = new TreeMap<>();
    private final ArrayDeque<Item> afterBarrier = new ArrayDeque<>();
    private TargetFlush barrier;
    /** The pending barrier's LSN per flow (exactly-once), or null. */
    private Map<Integer, Long> barrierAt;
    private long heldBytes;
    /** Markers of moves finished since the last snapshot, and per snapshot not yet completed. */
    private final List<RedisCommand> finishedSinceSnapshot = new ArrayList<>();
    private final TreeMap<Long, List<RedisCommand>> finishedBefore = new TreeMap<>();

    /** At-least-once: journal units are written as translated. */
    public SlotApplier(TranslateConfig config, TargetProfile target, LongSupplier clock,
            TranslationCounters counters, SkipListener skips, TargetIo io) {
        this(config, target, clock, counters, skips, io, null);
    }

    /**
     * @param positions the writer's watermarks for exactly-once journal apply (see {@link
     *     Watermarks}), loaded from the target when restoring; {@code null} for at-least-once
     */
    public SlotApplier(TranslateConfig config, TargetProfile target, LongSupplier clock,
            TranslationCounters counters, SkipListener skips, TargetIo io, AppliedPositions positions) {
        this(config, target, clock, counters, skips, io, positions, new Watermarks(config.internalKeyPrefix()));
    }

    /** @param watermarks how units are wrapped ({@code FCALL} of the loaded library, or {@code EVAL}) */
    public SlotApplier(TranslateConfig config, TargetProfile target, LongSupplier clock,
            TranslationCounters counters, SkipListener skips, TargetIo io, AppliedPositions positions, Watermarks watermarks) {
        this.positions = positions;
        this.watermarks = positions == null ? null : watermarks;
        this.config = config;
        this.target = target;
        this.objects = new ObjectTranslator(config, target, clock, counters, skips);
        this.journal = new JournalTranslator(config, target, objects, clock, counters, skips);
        this.globals = new GlobalTranslator(config, target, counters);
        this.io = io;
        this.clock = clock;
        this.counters = counters;
    }

    public void snapshot(SnapshotObject o) {
        objects.snapshot(o, c -> route(new Item.Cmd(c)));
    }

    public void part(ObjectPart p) {
        objects.part(p, c -> route(new Item.Cmd(c)));
    }

    /**
     * One unit of the splitter, keyed by {@code unit.slot()}.
     *
     * @param opId a job-wide unique id of the journal entry (epoch, flow, sequence); used only by
     *     cross-slot moves
     */
    public void journal(SlotCommand unit, String opId) {
        journal(unit, -1, -1, opId);
    }

    /**
     * One unit of the splitter, keyed by {@code unit.slot()}, of journal entry {@code lsn} of {@code
     * flow}. Exactly-once (positions given) and {@code lsn ≥ 0}: a unit at or below its slot's
     * watermark is skipped (counted as {@link Outcome#REPLAY_SKIPPED}), the others run with the
     * watermark update in one script; a cross-slot move's halves each raise their own slot's.
     *
     * @param opId a job-wide unique id of the journal entry, the same when the entry is replayed
     *     (used only by cross-slot moves; see {@link #opId})
     */
    public void journal(SlotCommand unit, int flow, long lsn, String opId) {
        boolean exact = positions != null && lsn >= 0 && flow >= 0;
        if (exact) {
            int db = positionDb(unit);
            if (db != DbMapping.IGNORED) {
                if (positions.applied(db, unit.slot(), flow, lsn)) {
                    counters.inc(Outcome.REPLAY_SKIPPED);
                    if (TRACE.isTraceEnabled()) {
                        TRACE.trace("flow {} LSN {} slot {} db {} key {}: skipped, at or below {}", flow, lsn, unit.slot(), db, TranslationException.printable(unit.key()),
                                positions.get(db, unit.slot(), flow));
                    }
                    return;
                }
                if (TRACE.isTraceEnabled()) {
                    TRACE.trace("flow {} LSN {} slot {} db {} key {}: applying (was {})", flow, lsn, unit.slot(), db, TranslationException.printable(unit.key()),
                            positions.get(db, unit.slot(), flow));
                }
                positions.advance(db, unit.slot(), flow, lsn);
            }
        }
        if (CrossSlotMove.isCrossSlot(unit.args())) {
            CrossSlotMove m = new CrossSlotMove(opId, unit.db(), unit.args());
            boolean sourceHalf = unit.slot() == m.sourceSlot();
            if (!sourceHalf && unit.slot() != m.destinationSlot()) {
                throw new UntranslatableCommandException(unit.db(), unit.key(), "move",
                        "unit keyed by slot " + unit.slot() + " belongs to neither key");
            }
            route(new Item.Move(unit.slot(), m, sourceHalf));
            return;
        }
        if (!exact) {
            journal.translate(unit.db(), unit.args(), c -> route(new Item.Cmd(c)));
            return;
        }
        List<RedisCommand> commands = new ArrayList<>(2);
        journal.translate(unit.db(), unit.args(), commands::add);
        if (commands.isEmpty()) {
            return;
        }
        RedisCommand first = commands.get(0);
        if (Watermarks.wrappable(first.db(), unit.slot(), commands)) {
            route(new Item.Cmd(watermarks.wrap(first.db(), unit.slot(), unit.key(), flow, lsn, commands)));
        } else {
            // Not one slot and db (never seen: every unit is cut per slot), or a command too long for
            // the script: applied as translated, without the watermark (at-least-once).
            counters.inc(Outcome.EXACTLY_ONCE_UNWRAPPED);
            commands.forEach(c -> route(new Item.Cmd(c)));
        }
    }

    /** The target db whose watermark of {@code unit.slot()} the unit raises (a COPY … DB n's destination half: db n's). */
    private int positionDb(SlotCommand unit) {
        if (CrossSlotMove.isCrossSlot(unit.args())) {
            CrossSlotMove m = new CrossSlotMove("", unit.db(), unit.args());
            if (unit.slot() != m.sourceSlot()) {
                return config.dbMapping().target(m.destinationSourceDb(), target.cluster(), m.destination());
            }
        }
        return config.dbMapping().target(unit.db(), target.cluster(), unit.key());
    }

    /**
     * The id of a journal entry for a cross-slot move's staging and marker keys: the same on every
     * replay of the entry, so that a half applied before a restore and the other half after it meet.
     * With an LSN ({@code x<reset epoch>:<flow>:<lsn>}, the epoch of the last full sync, which every
     * writer sees alike) the halves also raise their slots' watermarks (exactly-once).
     */
    public static String opId(int resetEpoch, int flow, long lsn) {
        return "x" + resetEpoch + ":" + flow + ":" + lsn;
    }

    /** Flow and LSN of a move's {@link #opId}, or null for a move without watermarks. */
    private long[] position(CrossSlotMove m) {
        if (positions == null || !m.opId().startsWith("x")) {
            return null;
        }
        String[] p = m.opId().substring(1).split(":");
        return new long[] {Long.parseLong(p[1]), Long.parseLong(p[2])};
    }

    /** A global command, handed over once for all flows by the Flink layer. */
    public void global(GlobalCommand g) {
        global(globals.translate(g));
    }

    /**
     * A global command at LSN {@code lsnByFlow} of each flow (exactly-once). Applied before a restore
     * if one of its slots holds a watermark above the command's LSN of that flow (a write after the
     * flush is there): then it is skipped, since clearing again would wipe those writes. Otherwise it
     * is applied, also after a crash in the middle of its clear (nothing after it was written yet).
     */
    public void global(GlobalCommand g, Map<Integer, Long> lsnByFlow) {
        TargetFlush f = globals.translate(g);
        if (positions == null || f.isNothing() || lsnByFlow.isEmpty()) {
            global(f);
            return;
        }
        if (appliedBefore(f, lsnByFlow)) {
            return;
        }
        positions.clear(f.all() ? null : f.dbs(), inRanges(f.slotRanges()));
        global(f, Map.copyOf(lsnByFlow));
    }

    /**
     * Exactly-once: whether flush {@code f} at {@code lsnByFlow} was carried out before a restore:
     * its done-mark is there, or a write after it in its slots (counted as a skipped replay).
     */
    private boolean appliedBefore(TargetFlush f, Map<Integer, Long> lsnByFlow) {
        if (positions.globalApplied(lsnByFlow) || positions.anyAbove(f.all() ? null : f.dbs(), inRanges(f.slotRanges()), lsnByFlow)) {
            counters.inc(Outcome.GLOBAL_REPLAY_SKIPPED);
            return true;
        }
        return false;
    }

    private static java.util.function.IntPredicate inRanges(List<int[]> ranges) {
        if (ranges.isEmpty()) {
            return s -> true;
        }
        return s -> {
            for (int[] r : ranges) {
                if (s >= r[0] && s <= r[1]) {
                    return true;
                }
            }
            return false;
        };
    }

    public void global(TargetFlush f) {
        global(f, null);
    }

    /** @param at the command's LSN per flow, recorded once it is applied (exactly-once), or null */
    private void global(TargetFlush f, Map<Integer, Long> at) {
        if (f.isNothing()) {
            return;
        }
        if (barrier != null) {
            hold(afterBarrier, new Item.Flush(f, at));
        } else if (parked.isEmpty()) {
            runFlush(f, at);
        } else {
            barrier = f;
            barrierAt = at;
        }
    }

    /**
     * Clears, then records that the global command was applied (exactly-once): a restore that
     * replays what came before it must not apply it again, even where the clear wiped the
     * watermarks of its slots. (A flush restored from a version 1 state has no LSNs and records
     * nothing; the watermarks after it still tell.)
     */
    private void runFlush(TargetFlush f, Map<Integer, Long> at) {
        io.flush(f);
        if (at != null && positions != null) {
            positions.globalDone(at);
            // Acknowledged before any later record is sent: on a cluster those may go to other nodes,
            // and one applied without this mark would make a restore skip the flush but replay what
            // preceded it into the cleared slots.
            RespReply r = io.call(List.of(watermarks.globalDone(positions.homeSlot(), at))).get(0);
            if (r instanceof RespReply.Error e) {
                throw new TranslationException("recording that " + f + " was applied failed: " + e.message());
            }
        }
    }

    /**
     * Forgets everything held (parked slots, a pending barrier and what waits behind it): a full
     * resync starts and the held records belong to the epoch it replaces. Done markers left behind
     * expire after {@code translate.done-marker-ttl}.
     */
    public void reset() {
        if (positions != null) {
            positions.clear();
        }
        parked.clear();
        afterBarrier.clear();
        barrier = null;
        barrierAt = null;
        heldBytes = 0;
        finishedSinceSnapshot.clear();
        finishedBefore.clear();
    }

    /** Whether nothing is held: no parked slot, no pending barrier. */
    public boolean idle() {
        return parked.isEmpty() && barrier == null;
    }

    public int parkedSlots() {
        return parked.size();
    }

    public long heldBytes() {
        return heldBytes;
    }

    /**
     * Checks every parked slot's move once (one round trip for all), releases the slots whose move
     * is done, and carries out a pending flush once nothing is parked. Never waits.
     *
     * @throws TranslationException when a slot waited longer than {@code
     *     translate.cross-slot-wait-timeout-ms}
     */
    public void poll() {
        if (!parked.isEmpty()) {
            List<Integer> slots = new ArrayList<>(parked.keySet());
            List<RedisCommand> probes = new ArrayList<>(slots.size());
            for (int slot : slots) {
                probes.add(probe(((Item.Wait) parked.get(slot).peekFirst()).move()));
            }
            List<RespReply> replies = io.call(probes);
            long now = clock.getAsLong();
            for (int i = 0; i < slots.size(); i++) {
                ArrayDeque<Item> q = parked.get(slots.get(i));
                Item.Wait w = (Item.Wait) q.peekFirst();
                if (replies.get(i) instanceof RespReply.Null) {
                    if (now - w.sinceMs() > config.crossSlotWaitTimeoutMs()) {
                        throw stuck(w);
                    }
                    continue;
                }
                check(replies.get(i), w.move());
                finish(slots.get(i), q, w);
            }
        }
        releaseBarrier();
    }

    /** The parked slots and the move each waits for (for the writer's closing line). */
    public String describeParked() {
        StringBuilder sb = new StringBuilder();
        for (var e : parked.entrySet()) {
            sb.append(e.getKey()).append('=').append(describe(((Item.Wait) e.getValue().peekFirst()).move())).append("; ");
        }
        return sb.toString();
    }

    private void releaseBarrier() {
        while (barrier != null && parked.isEmpty()) {
            runFlush(barrier, barrierAt);
            barrier = null;
            barrierAt = null;
            releaseHeldBehindBarrier();
        }
    }

    /** What waited behind the barrier just carried out (or dropped) goes on, in order; a flush among it may hold again. */
    private void releaseHeldBehindBarrier() {
        List<Item> held = new ArrayList<>(afterBarrier);
        afterBarrier.clear();
        for (Item it : held) {
            heldBytes -= it.weight();
        }
        for (Item it : held) {
            if (it instanceof Item.Flush f) {
                global(f.flush(), f.at());
            } else {
                route(it);
            }
        }
    }

    private void route(Item item) {
        if (barrier != null) {
            hold(afterBarrier, item);
            return;
        }
        ArrayDeque<Item> q = parked.get(item.slot());
        if (q != null) {
            hold(q, item);
            return;
        }
        run(item);
    }

    private void hold(ArrayDeque<Item> q, Item item) {
        q.addLast(item);
        heldBytes += item.weight();
        if (heldBytes > config.maxParkedBytes()) {
            Map.Entry<Integer, ArrayDeque<Item>> first = parked.firstEntry();
            String waiting = first == null ? "a pending flush" : describe(((Item.Wait) first.getValue().peekFirst()).move());
            throw new TranslationException("records held while slots wait for cross-slot moves exceed "
                    + "translate.max-parked-bytes (" + config.maxParkedBytes() + " bytes, " + parked.size()
                    + " slots parked; first waits for " + waiting + ")");
        }
    }

    /** Applies an item whose slot is not parked. */
    private void run(Item item) {
        if (item instanceof Item.Cmd c) {
            io.submit(c.command());
        } else if (item instanceof Item.Move m) {
            if (m.sourceHalf()) {
                sourceHalf(m.move());
            } else if (destinationIgnored(m.move())) {
                counters.inc(Outcome.DB_IGNORED); // COPY … DB n into an ignored db: nothing to wait for
            } else {
                ArrayDeque<Item> q = new ArrayDeque<>();
                Item.Wait w = new Item.Wait(m.slot(), m.move(), clock.getAsLong());
                q.add(w);
                heldBytes += w.weight();
                parked.put(m.slot(), q);
                tryHead(m.slot(), q);
            }
        } else {
            throw new IllegalStateException("cannot run " + item);
        }
    }

    /** Checks the head wait of a parked slot and, when its move is done, releases the slot. */
    private void tryHead(int slot, ArrayDeque<Item> q) {
        Item.Wait w = (Item.Wait) q.peekFirst();
        RespReply r = io.call(List.of(probe(w.move()))).get(0);
        if (r instanceof RespReply.Null) {
            return;
        }
        check(r, w.move());
        finish(slot, q, w);
    }

    /** The move's marker is there: complete the destination half and drain the slot in order. */
    private void finish(int slot, ArrayDeque<Item> q, Item.Wait w) {
        CrossSlotMove m = w.move();
        int db = objects.targetDb(m.destinationSourceDb(), m.destination());
        int ds = m.destinationSlot();
        byte[] staging = StagingKeys.staging(config.internalKeyPrefix(), ds, m.opId());
        byte[] marker = StagingKeys.marker(config.internalKeyPrefix(), ds, m.opId());
        RedisCommand finishing = new RedisCommand(db, ds, m.destination(), new byte[][] {Args.b("EVAL"), Args.b(FINISH), Args.b(3),
            staging, m.destination(), marker, Args.b(config.doneMarkerTtlMs())});
        long[] at = position(m);
        io.submit(at == null ? finishing : watermarks.wrap(db, ds, m.destination(), (int) at[0], at[1], List.of(finishing)));
        finishedSinceSnapshot.add(new RedisCommand(db, ds, marker, new byte[][] {Args.b("DEL"), marker}));
        q.pollFirst();
        heldBytes -= w.weight();
        while (!q.isEmpty()) {
            Item next = q.peekFirst();
            if (next instanceof Item.Move mv && !mv.sourceHalf() && !destinationIgnored(mv.move())) {
                q.pollFirst();
                heldBytes -= next.weight();
                Item.Wait nw = new Item.Wait(slot, mv.move(), clock.getAsLong());
                q.addFirst(nw);
                heldBytes += nw.weight();
                tryHead(slot, q);
                return;
            }
            q.pollFirst();
            heldBytes -= next.weight();
            run(next);
        }
        parked.remove(slot);
    }

    /**
     * The source half: stage the source's value in the destination's slot and mark it, then delete
     * the source (not for COPY). Waits for Redis only.
     */
    private void sourceHalf(CrossSlotMove m) {
        int srcDb = objects.targetDb(m.sourceDb(), m.source());
        int dstDb = config.dbMapping().target(m.destinationSourceDb(), target.cluster(), m.destination());
        if (srcDb < 0) {
            return;
        }
        counters.inc(Outcome.CROSS_SLOT_MOVES);
        byte[] src = m.source();
        int ss = m.sourceSlot();
        int ds = m.destinationSlot();
        byte[] staging = StagingKeys.staging(config.internalKeyPrefix(), ds, m.opId());
        byte[] marker = StagingKeys.marker(config.internalKeyPrefix(), ds, m.opId());
        boolean abs = target.pexpiretime();
        List<RespReply> read = io.call(List.of(
                new RedisCommand(srcDb, ss, src, new byte[][] {Args.b("DUMP"), src}),
                new RedisCommand(srcDb, ss, src, new byte[][] {Args.b(abs ? "PEXPIRETIME" : "PTTL"), src})));
        check(read.get(0), m);
        check(read.get(1), m);
        if (dstDb == DbMapping.IGNORED) {
            sourceDone(m, srcDb, List.of());
            return; // COPY into an ignored db; the destination half skips it too
        }
        if (!(read.get(0) instanceof RespReply.Bulk dump)) {
            counters.inc(Outcome.CROSS_SLOT_SOURCE_MISSING);
            io.submit(new RedisCommand(dstDb, ds, marker, new byte[][] {Args.b("SET"), marker, Args.b("N")}));
            sourceDone(m, srcDb, List.of());
            return;
        }
        long t = read.get(1).asLong();
        List<byte[]> restore = new ArrayList<>(List.of(Args.b("RESTORE"), staging, Args.b(t < 0 ? 0 : Math.max(t, 1)),
                dump.bytes(), Args.b("REPLACE")));
        if (abs && t > 0) {
            restore.add(Args.b("ABSTTL"));
        }
        List<RespReply> written = io.call(List.of(
                new RedisCommand(dstDb, ds, staging, Args.array(restore)),
                new RedisCommand(dstDb, ds, marker, new byte[][] {Args.b("SET"), marker, Args.b("V")})));
        check(written.get(0), m);
        check(written.get(1), m);
        sourceDone(m, srcDb, m.kind() != CrossSlotMove.Kind.COPY
                ? List.of(new RedisCommand(srcDb, ss, src, new byte[][] {Args.b("DEL"), src})) : List.of());
    }

    /** The source half's last step (DEL src, or nothing), with the source slot's watermark when exactly-once. */
    private void sourceDone(CrossSlotMove m, int srcDb, List<RedisCommand> last) {
        long[] at = position(m);
        if (at != null) {
            io.submit(watermarks.wrap(srcDb, m.sourceSlot(), m.source(), (int) at[0], at[1], last));
        } else {
            last.forEach(io::submit);
        }
    }

    private boolean destinationIgnored(CrossSlotMove m) {
        return config.dbMapping().target(m.destinationSourceDb(), target.cluster(), m.destination()) == DbMapping.IGNORED;
    }

    private RedisCommand probe(CrossSlotMove m) {
        int db = objects.targetDb(m.destinationSourceDb(), m.destination());
        int ds = m.destinationSlot();
        byte[] marker = StagingKeys.marker(config.internalKeyPrefix(), ds, m.opId());
        return new RedisCommand(db, ds, marker, new byte[][] {Args.b("GET"), marker});
    }

    private static void check(RespReply r, CrossSlotMove m) {
        if (r instanceof RespReply.Error e) {
            throw new TranslationException("cross-slot " + describe(m) + ": the target replied " + e.message());
        }
    }

    private TranslationException stuck(Item.Wait w) {
        CrossSlotMove m = w.move();
        String marker = Args.s(StagingKeys.marker(config.internalKeyPrefix(), m.destinationSlot(), m.opId()));
        return new TranslationException("slot " + w.slot() + " waited " + (clock.getAsLong() - w.sinceMs())
                + " ms for the source half of " + describe(m) + " (marker key " + marker + " never appeared;"
                + " translate.cross-slot-wait-timeout-ms). If the move was applied before the state this job"
                + " restored from, SET that key to D to release the slot");
    }

    static String describe(CrossSlotMove m) {
        return Args.s(m.args().get(0)) + " " + TranslationException.printable(m.source()) + " "
                + TranslationException.printable(m.destination()) + " (db " + m.sourceDb() + ", op " + m.opId() + ")";
    }

    /**
     * The held state (parked slots, barrier, records behind it) for the sink's checkpoint {@code
     * checkpointId}, taken after the writer was flushed.
     */
    public byte[] snapshotState(long checkpointId) {
        if (!finishedSinceSnapshot.isEmpty()) {
            finishedBefore.computeIfAbsent(checkpointId, id -> new ArrayList<>()).addAll(finishedSinceSnapshot);
            finishedSinceSnapshot.clear();
        }
        return ApplierState.encode(parked, barrier, barrierAt, afterBarrier);
    }

    /**
     * Checkpoint {@code checkpointId} is complete: no restore will go back before it, so the done
     * markers of moves finished before its snapshot are not needed any more and are deleted. (Were
     * this never called, they would still expire after {@code translate.done-marker-ttl-ms}.)
     */
    public void checkpointComplete(long checkpointId) {
        var done = finishedBefore.headMap(checkpointId, true);
        for (List<RedisCommand> l : done.values()) {
            l.forEach(io::submit);
        }
        done.clear();
    }

    /** Restores {@link #snapshotState(long)}; waits restart their timeout now. */
    public void restoreState(byte[] state) {
        if (!idle()) {
            throw new IllegalStateException("restore into an applier that already holds records");
        }
        ApplierState.Decoded d = ApplierState.decode(state, clock.getAsLong());
        barrier = d.barrier();
        barrierAt = d.barrierAt();
        if (barrier != null && flushAppliedBeforeRestore(barrier, barrierAt)) {
            barrier = null; // what was held behind it is released below, after the parked slots
            barrierAt = null;
        }
        for (Item it : d.afterBarrier()) {
            if (it instanceof Item.Flush f ? !flushAppliedBeforeRestore(f.flush(), f.at()) : !appliedBeforeRestore(it)) {
                afterBarrier.add(it);
            }
        }
        heldBytes = 0;
        for (Iterator<Item> it = afterBarrier.iterator(); it.hasNext();) {
            heldBytes += it.next().weight();
        }
        List<Item> unparked = new ArrayList<>();
        for (Map.Entry<Integer, ArrayDeque<Item>> e : d.parked().entrySet()) {
            ArrayDeque<Item> q = new ArrayDeque<>();
            for (Item it : e.getValue()) {
                if (!appliedBeforeRestore(it)) {
                    q.add(it);
                }
            }
            if (!q.isEmpty() && q.peekFirst() instanceof Item.Wait) {
                parked.put(e.getKey(), q);
                for (Item it : q) {
                    heldBytes += it.weight();
                }
            } else {
                unparked.addAll(q); // its wait was applied before the restore: the slot goes on
            }
        }
        for (Item it : unparked) {
            // Held before any pending barrier: run in slot order, ahead of what waits behind it.
            ArrayDeque<Item> q = parked.get(it.slot());
            if (q != null) {
                hold(q, it);
            } else {
                run(it);
            }
        }
        if (barrier == null && !afterBarrier.isEmpty()) {
            releaseHeldBehindBarrier();
        }
    }

    /**
     * Exactly-once: a flush held in the restored state (waiting for parked slots) that the failed
     * attempt carried out after that checkpoint: its done-mark is there, or a write after it. Its
     * clear must not run again: the writes after it, which the replay now skips, would be lost.
     * Judged once, on the watermarks as read at the restore (later writes raise them). Without LSNs
     * (at-least-once, or a version 1 state) it runs again, as before.
     */
    private boolean flushAppliedBeforeRestore(TargetFlush f, Map<Integer, Long> at) {
        // When not applied, nothing after it was either: its slots' positions stay below its LSNs and are
        // not cleared (the parked moves ahead of it are judged on them).
        return positions != null && at != null && !at.isEmpty() && appliedBefore(f, at);
    }

    /**
     * Exactly-once: a move half held in the restored state whose slot's watermark shows it was
     * applied after that checkpoint. Its staging step is not idempotent (it reads the source's value
     * now), so it must not run again; the other held items are wrapped commands that the target
     * skips by itself.
     */
    private boolean appliedBeforeRestore(Item it) {
        CrossSlotMove m;
        boolean sourceHalf;
        if (it instanceof Item.Move mv) {
            m = mv.move();
            sourceHalf = mv.sourceHalf();
        } else if (it instanceof Item.Wait w) {
            m = w.move();
            sourceHalf = false;
        } else {
            return false;
        }
        long[] at = position(m);
        if (at == null) {
            return false;
        }
        int db = sourceHalf ? config.dbMapping().target(m.sourceDb(), target.cluster(), m.source())
                : config.dbMapping().target(m.destinationSourceDb(), target.cluster(), m.destination());
        boolean applied = db != DbMapping.IGNORED
                && positions.applied(db, sourceHalf ? m.sourceSlot() : m.destinationSlot(), (int) at[0], at[1]);
        if (applied) {
            counters.inc(Outcome.REPLAY_SKIPPED);
        }
        return applied;
    }

    /** Something held for a slot (or behind a barrier). */
    sealed interface Item {
        int slot();

        long weight();

        record Cmd(RedisCommand command) implements Item {
            public int slot() {
                return command.slot();
            }

            public long weight() {
                return command.weight();
            }
        }

        /** A half of a cross-slot move not reached yet. */
        record Move(int slot, CrossSlotMove move, boolean sourceHalf) implements Item {
            public long weight() {
                return move.weight();
            }
        }

        /** The head of a parked slot: its move's destination half, waiting for the marker. */
        record Wait(int slot, CrossSlotMove move, long sinceMs) implements Item {
            public long weight() {
                return move.weight();
            }
        }

        /** A flush behind a pending barrier; {@code at} its LSN per flow (exactly-once), or null. */
        record Flush(TargetFlush flush, Map<Integer, Long> at) implements Item {
            public int slot() {
                return -1;
            }

            public long weight() {
                return 64;
            }
        }
    }
}
