package io.df2redis.translate;

import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.dragonfly.stream.FlowStreamParser;
import io.df2redis.dragonfly.stream.ParserConfig;
import io.df2redis.dragonfly.stream.StreamFormatException;
import io.df2redis.testing.recordings.Recording;
import io.df2redis.testing.recordings.RecordingMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Applies a recording the way the job does, minus Flink: each flow parsed in stream order,
 * journal commands split per slot before "the shuffle", everything translated and written by one
 * {@link SlotApplier}. Flows are driven one after the other up to each global command, which is
 * applied once when every flow has reached it (the recordings' README, "end-to-end tests").
 */
final class RecordingReplay {
    final TranslationCounters counters;
    final List<SkipReport> reports = new ArrayList<>();
    private final TranslateConfig config;
    private final SlotApplier applier;
    private final int flows;
    private final List<List<FlowEvent>> events = new ArrayList<>();
    private final int[] position;
    private final List<JournalSplitter> splitters = new ArrayList<>();
    private final SnapshotFilter snapshotFilter;
    private final String epoch;
    private long entries;

    RecordingReplay(Recording rec, TranslateConfig config, TargetProfile target, TargetIo io, LongSupplier clock,
            TranslationCounters counters, ParserConfig parser) {
        this.config = config;
        this.counters = counters;
        this.applier = new SlotApplier(config, target, clock, counters, reports::add, io);
        this.flows = rec.flowCount();
        this.position = new int[flows];
        this.epoch = rec.name().replace('/', '-');
        RecordingMeta meta = rec.meta();
        for (int i = 0; i < flows; i++) {
            List<FlowEvent> out = new ArrayList<>();
            RecordingMeta.Flow f = meta.flows().get(i);
            FlowStreamParser p = f.partial()
                    ? FlowStreamParser.partial(i, f.requestedLsn(), parser, out::add)
                    : FlowStreamParser.fullSync(i, f.eofToken(), parser, out::add);
            try {
                p.feed(rec.flowBytes(i));
                p.endOfInput();
            } catch (StreamFormatException e) {
                throw new AssertionError(rec.name() + " flow " + i + " does not parse", e);
            }
            events.add(out);
            splitters.add(new JournalSplitter(config, i, flows, counters, reports::add));
        }
        this.snapshotFilter = new SnapshotFilter(config.filter(), counters);
    }

    /** Applies every flow up to (not including) its next global command; false when all flows are done. */
    boolean applyUntilGlobal() {
        for (int i = 0; i < flows; i++) {
            List<FlowEvent> ev = events.get(i);
            while (position[i] < ev.size() && !(ev.get(position[i]) instanceof FlowEvent.GlobalCommand)) {
                apply(i, ev.get(position[i]));
                position[i]++;
            }
        }
        applier.poll();
        boolean more = false;
        for (int i = 0; i < flows; i++) {
            more |= position[i] < events.get(i).size();
        }
        return more;
    }

    /** All flows stand at a global command of the same txid: apply it once and step past it. */
    void applyGlobal() {
        FlowEvent.GlobalCommand first = null;
        for (int i = 0; i < flows; i++) {
            FlowEvent.GlobalCommand g = (FlowEvent.GlobalCommand) events.get(i).get(position[i]);
            if (first == null) {
                first = g;
            } else if (g.txid() != first.txid()) {
                throw new AssertionError("flows disagree on the global command: txid " + first.txid() + " vs " + g.txid());
            }
            position[i]++;
        }
        applier.global(first);
        applier.poll();
    }

    /** Everything, globals included. */
    void applyAll() {
        while (applyUntilGlobal()) {
            applyGlobal();
        }
    }

    boolean idle() {
        return applier.idle();
    }

    private void apply(int flow, FlowEvent e) {
        if (e instanceof FlowEvent.SnapshotObject o0) {
            FlowEvent.SnapshotObject o = snapshotFilter.admit(o0); // as the reader does, before the shuffle
            if (o != null) {
                applier.snapshot(o);
            }
        } else if (e instanceof FlowEvent.ObjectPart p0) {
            FlowEvent.ObjectPart p = snapshotFilter.admit(p0);
            if (p != null) {
                applier.part(p);
            }
        } else if (e instanceof FlowEvent.JournalCommand c) {
            String opId = epoch + ":" + flow + ":" + entries++;
            for (SlotCommand u : splitters.get(flow).split(c)) {
                applier.journal(u, opId);
            }
        }
        // AuxField, Ping, Exec, StaticDataEnd, StableCut: nothing to write
    }
}
