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
    private boolean strayLogged;

    public JournalSplitter(TranslateConfig config, int flowId, int flowCount, TranslationCounters counters,
            SkipListener skips) {
        if (flowId < 0 || flowId >= flowCount) {
            throw new IllegalArgumentException("flow " + flowId + " of " + flowCount);
        }
        this.config = config;
        this.flowId = flowId;
        this.flowCount = flowCount;
        this.counters = counters;
        this.skips = skips;
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
        byte[] name = args.get(0);
        String upper = new String(name, StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT);
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
        byte[] first = args.get(positions.get(0));
        for (int p : positions) {
            if (!owned(args.get(p))) {
                return stray(db, args.get(p), name);
            }
        }
        int slot = Slots.slot(first);
        for (int p : positions) {
            if (Slots.slot(args.get(p)) != slot) {
                return crossSlot(db, first, name);
            }
        }
        return List.of(new SlotCommand(db, slot, first, args));
    }

    /** Groups of {@code width} arguments starting at each key, re-assembled per slot. */
    private List<SlotCommand> splitGroups(int db, List<byte[]> args, List<Integer> positions, int width) {
        if (positions.get(positions.size() - 1) + width > args.size()) {
            throw new UntranslatableCommandException(db, args.get(positions.get(0)), name(args),
                    "expected groups of " + width + " arguments, got " + (args.size() - 1));
        }
        Map<Integer, List<byte[]>> bySlot = new LinkedHashMap<>();
        Map<Integer, byte[]> firstKey = new LinkedHashMap<>();
        for (int p : positions) {
            byte[] key = args.get(p);
            if (!owned(key)) {
                stray(db, key, name(args));
                continue;
            }
            int slot = Slots.slot(key);
            List<byte[]> a = bySlot.computeIfAbsent(slot, s -> {
                List<byte[]> l = new ArrayList<>();
                l.add(args.get(0));
                return l;
            });
            firstKey.putIfAbsent(slot, key);
            for (int i = 0; i < width; i++) {
                a.add(args.get(p + i));
            }
        }
        if (bySlot.size() > 1) {
            counters.inc(Outcome.SPLIT);
        }
        List<SlotCommand> out = new ArrayList<>(bySlot.size());
        for (Map.Entry<Integer, List<byte[]>> e : bySlot.entrySet()) {
            List<byte[]> a = e.getValue();
            out.add(new SlotCommand(db, e.getKey(), firstKey.get(e.getKey()), a.size() == args.size() ? args : a));
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
        int s = Slots.slot(src);
        int d = Slots.slot(dst);
        if (s == d) {
            return List.of(new SlotCommand(db, s, src, args));
        }
        counters.inc(Outcome.SPLIT);
        return List.of(new SlotCommand(db, s, src, args), new SlotCommand(db, d, dst, args));
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
