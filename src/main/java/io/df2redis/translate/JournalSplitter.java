package io.df2redis.translate;

import io.df2redis.dragonfly.event.FlowEvent.JournalCommand;
import io.df2redis.redis.Slots;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The half of the translation that runs before the shuffle, in the source, once per flow: finds
 * the keys of each journal command, drops writes the flow's shard does not own (stray copies) and
 * records of ignored dbs, drops what never reaches the target (STICK, SCRIPT, DFLYCLUSTER…), and
 * cuts commands whose keys fall into several Redis slots into one {@link SlotCommand} per slot
 * where that keeps their meaning:
 *
 * <ul>
 *   <li>DEL / UNLINK: the keys of each slot ({@code DEL} of the others would not change them);
 *   <li>MSET and MSETNX (journaled only when it succeeded, so it is an MSET): the pairs per slot;
 *   <li>RENAME / RENAMENX / COPY: one unit for each of the two slots ({@link CrossSlotMove});
 *   <li>anything else with keys in several slots cannot be cut without changing its meaning: the
 *       {@code translate.cross-slot-commands} policy (skip and report, or fail) applies.
 * </ul>
 *
 * Not thread-safe: one instance per flow.
 */
public final class JournalSplitter {
    private static final Logger LOG = LoggerFactory.getLogger(JournalSplitter.class);

    private final TranslateConfig config;
    private final int flowId;
    private final int flowCount;
    private final TranslationCounters counters;
    private final SkipListener skips;
    private final FilterConfig filter;
    private final MovedIn movedIn;
    private boolean strayLogged;

    /**
     * What a RENAME, RENAMENX or COPY from a key the filters leave out into one they copy becomes:
     * the target never had the source's value, so it is read from the source now. Implemented by the
     * Flink layer (a connection to the master); returns the command to apply to the destination
     * instead (a {@code RESTORE} of the master's {@code DUMP}, or {@code DEL} when the master no
     * longer has the key), in source names.
     */
    public interface MovedIn {
        List<byte[]> fetch(int db, byte[] destination);
    }

    public JournalSplitter(TranslateConfig config, int flowId, int flowCount, TranslationCounters counters,
            SkipListener skips) {
        this(config, flowId, flowCount, counters, skips, null);
    }

    /** @param movedIn reads a moved-in key's value from the source (null: such moves are skipped and reported) */
    public JournalSplitter(TranslateConfig config, int flowId, int flowCount, TranslationCounters counters,
            SkipListener skips, MovedIn movedIn) {
        if (flowId < 0 || flowId >= flowCount) {
            throw new IllegalArgumentException("flow " + flowId + " of " + flowCount);
        }
        this.config = config;
        this.flowId = flowId;
        this.flowCount = flowCount;
        this.counters = counters;
        this.skips = skips;
        this.filter = config.filter();
        this.movedIn = movedIn;
    }

    /** The per-slot units of one journal command, in order; empty when it is dropped here. */
    public List<SlotCommand> split(JournalCommand cmd) {
        return split(cmd.db(), cmd.args());
    }

    public List<SlotCommand> split(int db, List<byte[]> args) {
        if (args.isEmpty()) {
            throw new UntranslatableCommandException(db, null, "(empty)", "journal entry without a command");
        }
        if (config.dbMapping().ignored(db)) {
            counters.inc(Outcome.DB_IGNORED);
            return List.of();
        }
        if (!filter.dbIncluded(db)) {
            counters.inc(Outcome.FILTER_DB);
            return List.of();
        }
        byte[] name = args.get(0);
        String upper = new String(name, StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT);
        if (filter.commandDropped(upper)) {
            counters.inc(Outcome.FILTER_COMMAND);
            return List.of();
        }
        if (!filter.typeIncluded(FilterConfig.commandType(upper))) {
            counters.inc(Outcome.FILTER_TYPE);
            return List.of();
        }
        CommandTable.Spec spec = CommandTable.spec(name);
        if (spec == null) {
            return unknown(db, args, upper);
        }
        Outcome dropped = CommandTable.dropped(upper);
        if (dropped != null) {
            counters.add(dropped, dropped == Outcome.STICK_DROPPED ? args.size() - 1 : 1);
            return List.of();
        }
        List<Integer> positions = CommandTable.keyPositions(spec, args);
        if (positions.isEmpty()) {
            return keyless(db, args, upper, spec);
        }
        switch (spec.shape()) {
            case KEYS:
                return splitGroups(db, args, positions, 1);
            case PAIRS:
                return splitGroups(db, args, positions, 2);
            case TRIPLES:
                return splitGroups(db, args, positions, 3);
            case MOVE:
                return splitMove(db, args, upper);
            default:
                return single(db, args, positions, upper);
        }
    }

    private List<SlotCommand> single(int db, List<byte[]> args, List<Integer> positions, String name) {
        for (int p : positions) {
            if (!owned(args.get(p))) {
                return stray(db, args.get(p), name);
            }
        }
        int in = 0;
        for (int p : positions) {
            if (filter.keyIncluded(args.get(p))) {
                in++;
            }
        }
        if (in == 0) {
            counters.add(Outcome.FILTER_KEY, positions.size());
            return List.of();
        }
        if (in < positions.size()) {
            // Keys on both sides of the filter, not cut without changing the meaning (SUNIONSTORE of
            // an included destination from an excluded source): left out, reported; verify finds it.
            counters.inc(Outcome.FILTER_MIXED_SKIPPED);
            skips.onSkip(new SkipReport(db, args.get(positions.get(0)), name, null,
                    "its keys are on both sides of filter.keys.*; not applied"));
            return List.of();
        }
        args = mapped(args, positions);
        byte[] first = args.get(positions.get(0));
        int slot = Slots.slot(first);
        for (int p : positions) {
            if (Slots.slot(args.get(p)) != slot) {
                return crossSlot(db, first, name);
            }
        }
        return List.of(new SlotCommand(db, slot, first, args));
    }

    /** {@code args} with the keys at {@code positions} renamed by {@code map.key-prefix}. */
    private List<byte[]> mapped(List<byte[]> args, List<Integer> positions) {
        if (!filter.mapsKeys()) {
            return args;
        }
        List<byte[]> out = new ArrayList<>(args);
        for (int p : positions) {
            out.set(p, filter.mapKey(args.get(p)));
        }
        return out;
    }

    /** Groups of {@code width} arguments starting at each key, re-assembled per slot. */
    private List<SlotCommand> splitGroups(int db, List<byte[]> args, List<Integer> positions, int width) {
        if (positions.get(positions.size() - 1) + width > args.size()) {
            throw new UntranslatableCommandException(db, args.get(positions.get(0)), name(args),
                    "expected groups of " + width + " arguments, got " + (args.size() - 1));
        }
        Map<Integer, List<byte[]>> bySlot = new LinkedHashMap<>();
        Map<Integer, byte[]> firstKey = new LinkedHashMap<>();
        int excluded = 0;
        for (int p : positions) {
            byte[] key = args.get(p);
            if (!owned(key)) {
                stray(db, key, name(args));
                continue;
            }
            if (!filter.keyIncluded(key)) {
                excluded++;
                continue;
            }
            key = filter.mapKey(key);
            int slot = Slots.slot(key);
            List<byte[]> a = bySlot.computeIfAbsent(slot, s -> {
                List<byte[]> l = new ArrayList<>();
                l.add(args.get(0));
                return l;
            });
            firstKey.putIfAbsent(slot, key);
            a.add(key);
            for (int i = 1; i < width; i++) {
                a.add(args.get(p + i));
            }
        }
        if (excluded > 0) {
            counters.add(Outcome.FILTER_KEY, excluded);
        }
        if (bySlot.size() > 1) {
            counters.inc(Outcome.SPLIT);
        }
        List<SlotCommand> out = new ArrayList<>(bySlot.size());
        for (Map.Entry<Integer, List<byte[]>> e : bySlot.entrySet()) {
            List<byte[]> a = e.getValue();
            out.add(new SlotCommand(db, e.getKey(), firstKey.get(e.getKey()), a.size() == args.size() && !filter.mapsKeys() ? args : a));
        }
        return out;
    }

    private List<SlotCommand> splitMove(int db, List<byte[]> args, String name) {
        if (args.size() < 3) {
            throw new UntranslatableCommandException(db, args.size() > 1 ? args.get(1) : null, name,
                    "needs a source and a destination key");
        }
        byte[] src = args.get(1);
        byte[] dst = args.get(2);
        if (!owned(src)) {
            return stray(db, src, name);
        }
        if (!owned(dst)) {
            return stray(db, dst, name);
        }
        boolean srcIn = filter.keyIncluded(src);
        boolean dstIn = filter.keyIncluded(dst);
        if (!srcIn && !dstIn) {
            counters.add(Outcome.FILTER_KEY, 2);
            return List.of();
        }
        if (!dstIn) {
            // The key leaves the copied set: on the target it is gone (a COPY changes nothing there).
            counters.inc(Outcome.FILTER_MOVED_OUT);
            if (name.equals("COPY")) {
                return List.of();
            }
            byte[] k = filter.mapKey(src);
            return List.of(new SlotCommand(db, Slots.slot(k), k, List.of("DEL".getBytes(StandardCharsets.US_ASCII), k)));
        }
        if (!srcIn) {
            return movedIn(db, dst, name);
        }
        if (filter.mapsKeys()) {
            src = filter.mapKey(src);
            dst = filter.mapKey(dst);
            args = new ArrayList<>(args);
            args.set(1, src);
            args.set(2, dst);
        }
        int s = Slots.slot(src);
        int d = Slots.slot(dst);
        if (s == d) {
            return List.of(new SlotCommand(db, s, src, args));
        }
        counters.inc(Outcome.SPLIT);
        return List.of(new SlotCommand(db, s, src, args), new SlotCommand(db, d, dst, args));
    }

    /** A move from an excluded key into an included one: the destination's value comes from the source. */
    private List<SlotCommand> movedIn(int db, byte[] dst, String name) {
        counters.inc(Outcome.FILTER_MOVED_IN);
        if (movedIn == null) {
            skips.onSkip(new SkipReport(db, dst, name, null, "moved in from a key filter.keys.* leaves out; not applied"));
            return List.of();
        }
        List<byte[]> replacement = new ArrayList<>(movedIn.fetch(db, dst));
        byte[] k = filter.mapKey(dst);
        replacement.set(1, k);
        return List.of(new SlotCommand(db, Slots.slot(k), k, replacement));
    }

    private List<SlotCommand> keyless(int db, List<byte[]> args, String name, CommandTable.Spec spec) {
        if (spec.family() != null) {
            return DfPolicies.keylessCommand(config, counters, skips, spec.family(), db, name);
        }
        if (spec.shape() == CommandTable.Shape.NONE) {
            // FLUSH* reach the job as global commands; anything else keyless carries no data.
            counters.inc(Outcome.SERVER_COMMAND_SKIPPED);
            return List.of();
        }
        throw new UntranslatableCommandException(db, null, name, "no key in " + (args.size() - 1) + " arguments");
    }

    private List<SlotCommand> unknown(int db, List<byte[]> args, String name) {
        byte[] key = args.size() > 1 ? args.get(1) : null;
        if (config.unknownCommands() == DfTypePolicy.SKIP) {
            counters.inc(Outcome.COMMAND_SKIPPED);
            skips.onSkip(new SkipReport(db, key, name, null, "unknown command, skipped by translate.unknown-commands"));
            return List.of();
        }
        throw new UntranslatableCommandException(db, key, name,
                "unknown to the translation (translate.unknown-commands=fail)");
    }

    private List<SlotCommand> crossSlot(int db, byte[] key, String name) {
        if (config.crossSlotCommands() == DfTypePolicy.SKIP) {
            counters.inc(Outcome.COMMAND_SKIPPED);
            skips.onSkip(new SkipReport(db, key, name, null,
                    "keys in several slots, cannot be split; skipped by translate.cross-slot-commands"));
            return List.of();
        }
        throw new UntranslatableCommandException(db, key, name,
                "keys in several Redis slots and the command cannot be split (translate.cross-slot-commands=fail)");
    }

    private List<SlotCommand> stray(int db, byte[] key, String name) {
        counters.inc(Outcome.STRAY_DROPPED);
        if (!strayLogged) {
            strayLogged = true;
            LOG.info("flow {}: dropping {} of key {} in db {}: shard {} owns it (a cross-shard copy such as"
                    + " PFMERGE's); further stray writes are only counted", flowId, name,
                    TranslationException.printable(key), db, config.sharding().shard(key, flowCount));
        }
        return List.of();
    }

    private boolean owned(byte[] key) {
        return config.sharding().shard(key, flowCount) == flowId;
    }

    private static String name(List<byte[]> args) {
        return new String(args.get(0), StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT);
    }
}
