package io.df2redis.translate;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of every {@link Outcome} plus skips per Dragonfly family. Updated by the translating
 * thread, read by metric reporters on other threads. The Flink layer registers each as a gauge.
 */
public final class TranslationCounters {
    private final EnumMap<Outcome, LongAdder> outcomes = new EnumMap<>(Outcome.class);
    private final EnumMap<DfFamily, LongAdder> skipped = new EnumMap<>(DfFamily.class);

    public TranslationCounters() {
        for (Outcome o : Outcome.values()) {
            outcomes.put(o, new LongAdder());
        }
        for (DfFamily f : DfFamily.values()) {
            skipped.put(f, new LongAdder());
        }
    }

    public void inc(Outcome o) {
        outcomes.get(o).increment();
    }

    public void add(Outcome o, long n) {
        outcomes.get(o).add(n);
    }

    public long get(Outcome o) {
        return outcomes.get(o).sum();
    }

    void skippedOne(DfFamily f) {
        skipped.get(f).increment();
        outcomes.get(Outcome.DF_SKIPPED).increment();
    }

    public long skipped(DfFamily f) {
        return skipped.get(f).sum();
    }

    /** Every counter by metric name ({@code expired-skipped}, {@code df-skipped-json}, …). */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Map.Entry<Outcome, LongAdder> e : outcomes.entrySet()) {
            m.put(e.getKey().metricName(), e.getValue().sum());
        }
        for (Map.Entry<DfFamily, LongAdder> e : skipped.entrySet()) {
            m.put("df-skipped-" + e.getKey().configName(), e.getValue().sum());
        }
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        snapshot().forEach((k, v) -> {
            if (v != 0) {
                sb.append(sb.length() > 1 ? ", " : "").append(k).append('=').append(v);
            }
        });
        return sb.append('}').toString();
    }
}
