package io.df2redis.translate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The translation as the job runs it, for tests: a splitter per flow (before the shuffle), one
 * {@link SlotApplier} (after it) writing through a {@link JedisTargetIo}.
 */
final class Harness implements AutoCloseable {
    final TranslationCounters counters = new TranslationCounters();
    final List<SkipReport> reports = new ArrayList<>();
    final JedisTargetIo io;
    final SlotApplier applier;
    private final TranslateConfig config;
    private final int flows;
    private final Map<Integer, JournalSplitter> splitters = new HashMap<>();
    private long seq;

    Harness(TranslateConfig config, TargetProfile target, JedisTargetIo io, int flows, LongSupplier clock) {
        this.config = config;
        this.io = io;
        this.flows = flows;
        this.applier = new SlotApplier(config, target, clock, counters, reports::add, io);
    }

    Harness(TranslateConfig config, TargetProfile target, JedisTargetIo io) {
        this(config, target, io, 1, System::currentTimeMillis);
    }

    /** A journal entry of {@code flow}: split, then every unit applied, then drained to Redis. */
    Harness journal(int flow, int db, String... args) {
        return journalBytes(flow, db, Arrays.stream(args).map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());
    }

    Harness journalBytes(int flow, int db, List<byte[]> args) {
        JournalSplitter s = splitters.computeIfAbsent(flow,
                f -> new JournalSplitter(config, f, flows, counters, reports::add));
        long id = seq++;
        for (SlotCommand u : s.split(db, args)) {
            applier.journal(u, "t:" + flow + ":" + id);
        }
        applier.poll();
        io.drain();
        return this;
    }

    /** Journal entry on flow 0 of a one-flow master, db 0. */
    Harness run(String... args) {
        return journal(0, 0, args);
    }

    @Override
    public void close() {
        io.close();
    }
}
