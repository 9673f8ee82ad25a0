package io.df2redis.translate;

import io.df2redis.dragonfly.event.FlowEvent.ObjectPart;
import io.df2redis.dragonfly.event.FlowEvent.SnapshotObject;

/**
 * {@link FilterConfig} on the snapshot, before the shuffle: entries of a db, key or type left out
 * are dropped (counted per reason), the others renamed by {@code map.key-prefix}. A value in parts
 * is judged by its part 0 alike for every part (same db, key and type).
 */
public final class SnapshotFilter {
    private final FilterConfig filter;
    private final TranslationCounters counters;

    public SnapshotFilter(FilterConfig filter, TranslationCounters counters) {
        this.filter = filter;
        this.counters = counters;
    }

    /** The entry to emit (renamed), or null when it is left out. */
    public SnapshotObject admit(SnapshotObject o) {
        Outcome out = leftOut(o.db(), o.key(), FilterConfig.typeName(o.value().type()));
        if (out != null) {
            counters.inc(out);
            return null;
        }
        return filter.mapsKeys() ? new SnapshotObject(o.db(), filter.mapKey(o.key()), o.expireAtMs(), o.dfMask(), o.mcFlags(), o.value()) : o;
    }

    /** The part to emit (renamed), or null when its value is left out (counted once, at part 0). */
    public ObjectPart admit(ObjectPart p) {
        Outcome out = leftOut(p.db(), p.key(), FilterConfig.typeName(p.type()));
        if (out != null) {
            if (p.index() == 0) {
                counters.inc(out);
            }
            return null;
        }
        return filter.mapsKeys() ? new ObjectPart(p.db(), filter.mapKey(p.key()), p.type(), p.index(), p.last(), p.expireAtMs(),
                p.dfMask(), p.mcFlags(), p.elements()) : p;
    }

    private Outcome leftOut(int db, byte[] key, String type) {
        if (!filter.dbIncluded(db)) {
            return Outcome.FILTER_DB;
        }
        if (!filter.typeIncluded(type)) {
            return Outcome.FILTER_TYPE;
        }
        if (!filter.keyIncluded(key)) {
            return Outcome.FILTER_KEY;
        }
        return null;
    }
}
