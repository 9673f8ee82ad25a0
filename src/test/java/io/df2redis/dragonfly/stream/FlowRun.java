package io.df2redis.dragonfly.stream;

import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.testing.recordings.RecordingMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;

/** Feeds a flow's bytes to a parser in pieces and keeps the events (test helper). */
record FlowRun(List<FlowEvent> events, FlowStreamParser parser) {

    /** Piece sizes: fixed, or pseudo-random 1..max from a seed. */
    static IntUnaryOperator fixed(int n) {
        return i -> n;
    }

    static IntUnaryOperator random(long seed, int max) {
        Random r = new Random(seed);
        return i -> 1 + r.nextInt(max);
    }

    static FlowRun of(RecordingMeta.Flow meta, byte[] bytes, IntUnaryOperator pieces, ParserConfig cfg)
            throws StreamFormatException {
        List<FlowEvent> events = new ArrayList<>();
        FlowStreamParser p = meta.partial()
                ? FlowStreamParser.partial(meta.flow(), meta.requestedLsn(), cfg, events::add)
                : FlowStreamParser.fullSync(meta.flow(), meta.eofToken(), cfg, events::add);
        feed(p, bytes, bytes.length, pieces);
        p.endOfInput();
        return new FlowRun(events, p);
    }

    static void feed(FlowStreamParser p, byte[] bytes, int upTo, IntUnaryOperator pieces) throws StreamFormatException {
        int off = 0;
        int i = 0;
        while (off < upTo) {
            int n = Math.min(pieces.applyAsInt(i++), upTo - off);
            p.feed(bytes, off, n);
            off += n;
        }
    }
}
