package io.df2redis.translate;

import io.df2redis.dragonfly.event.FlowEvent.GlobalCommand;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * FLUSHALL / FLUSHDB / DFLYCLUSTER FLUSHSLOTS → a {@link TargetFlush} under the db mapping. The
 * Flink layer applies each global command once per txid across flows (DESIGN §4); this class only
 * says what it means on the target:
 *
 * <ul>
 *   <li>FLUSHALL: the whole target with the identity mapping, else every mapped target db (a target
 *       db that no source db maps to is not touched);
 *   <li>FLUSHDB of source db d: its mapped db; nothing when d is ignored; when another source db
 *       shares that target db, {@code translate.merged-flush} decides (fail, or flush it all);
 *   <li>FLUSHSLOTS (a Dragonfly cluster, db 0 only): the keys of those slots in db 0's target.
 * </ul>
 */
public final class GlobalTranslator {
    private final TranslateConfig config;
    private final TargetProfile target;
    private final TranslationCounters counters;

    public GlobalTranslator(TranslateConfig config, TargetProfile target, TranslationCounters counters) {
        this.config = config;
        this.target = target;
        this.counters = counters;
    }

    public TargetFlush translate(GlobalCommand g) {
        return translate(g.db(), g.args());
    }

    public TargetFlush translate(int sourceDb, List<byte[]> args) {
        TargetFlush f = meaning(sourceDb, args);
        counters.inc(Outcome.GLOBAL_COMMANDS);
        return f;
    }

    private TargetFlush meaning(int sourceDb, List<byte[]> args) {
        String name = new String(args.get(0), StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
        boolean async = args.size() > 1 && "ASYNC".equalsIgnoreCase(new String(args.get(args.size() - 1),
                StandardCharsets.US_ASCII));
        DbMapping m = config.dbMapping();
        FilterConfig filter = config.filter();
        switch (name) {
            case "FLUSHALL":
                if (filter.dbsSelected()) {
                    // Only the dbs the filter copies.
                    Set<Integer> dbs = new java.util.TreeSet<>();
                    for (int d : filter.dbs()) {
                        if (!m.ignored(d)) {
                            dbs.add(m.target(d, target.cluster(), null));
                        }
                    }
                    return dbs.isEmpty() ? TargetFlush.NOTHING : new TargetFlush(false, dbs, List.of(), async);
                }
                if (m.isIdentity()) {
                    return new TargetFlush(true, Set.of(), List.of(), async);
                }
                return new TargetFlush(false, m.targets(), List.of(), async);
            case "FLUSHDB": {
                if (m.ignored(sourceDb)) {
                    counters.inc(Outcome.DB_IGNORED);
                    return TargetFlush.NOTHING;
                }
                if (!filter.dbIncluded(sourceDb)) {
                    counters.inc(Outcome.FILTER_DB);
                    return TargetFlush.NOTHING;
                }
                int db = m.target(sourceDb, target.cluster(), null);
                if (m.shared(sourceDb, db) && config.mergedFlush() == TranslateConfig.MergedFlush.FAIL) {
                    throw new TranslationException("FLUSHDB of source db " + sourceDb + ": target db " + db
                            + " also holds other source dbs (" + m + "); set translate.merged-flush="
                            + "flush-target-db to flush it all");
                }
                return new TargetFlush(false, Set.of(db), List.of(), async);
            }
            case "DFLYCLUSTER": {
                if (args.size() < 4 || !"FLUSHSLOTS".equalsIgnoreCase(new String(args.get(1), StandardCharsets.US_ASCII))
                        || (args.size() - 2) % 2 != 0) {
                    throw new UntranslatableCommandException(sourceDb, null, name, "expected FLUSHSLOTS start end …");
                }
                List<int[]> ranges = new ArrayList<>();
                for (int i = 2; i < args.size(); i += 2) {
                    ranges.add(new int[] {(int) Args.parseLong(args.get(i), "slot"),
                        (int) Args.parseLong(args.get(i + 1), "slot")});
                }
                int db = m.target(0, target.cluster(), null);
                if (db == DbMapping.IGNORED) {
                    return TargetFlush.NOTHING;
                }
                return new TargetFlush(false, Set.of(db), ranges, false);
            }
            default:
                throw new UntranslatableCommandException(sourceDb, null, name, "not a global command");
        }
    }
}
