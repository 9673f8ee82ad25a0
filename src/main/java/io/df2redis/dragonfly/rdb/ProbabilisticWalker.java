package io.df2redis.dragonfly.rdb;

import io.df2redis.dragonfly.event.DecodedValue;

/**
 * Structural check of Dragonfly's probabilistic types (protocol doc §5.4): SBF (33), SBF2 (34),
 * CMS (35), TopK (36), Cuckoo (37). Redis has no native equivalent, so nothing is decoded: the
 * caller keeps the encoded bytes ({@link DecodedValue.OpaqueValue}). Raw sections are walked in
 * units of at most {@value #RAW_UNIT} bytes so a big filter never needs to be held contiguous.
 */
final class ProbabilisticWalker extends ValueWalker {
    static final int RAW_UNIT = 64 * 1024;

    private enum State { HEADER, FILTER, FILTER_CHUNK_LEN, RAW, TOPK_HEAP, TOPK_COUNTERS, DONE }

    private State state = State.HEADER;
    private long filtersLeft;
    private long filterBytesLeft; // SBF2/Cuckoo: bytes of the current filter still to come in chunks
    private long rawLeft;         // raw bytes of the current chunk / counter section
    private long heapLeft;
    private long topkCounterBytes;

    ProbabilisticWalker(RdbType type) {
        super(type, false);
    }

    @Override
    protected boolean step(RdbCursor c) throws RdbFormatException {
        long at = c.offset();
        switch (state) {
            case HEADER -> header(c, at);
            case FILTER -> {
                if (type == RdbType.DF_SBF) {
                    c.len();
                    c.skipString();
                    nextFilter();
                } else {
                    if (type == RdbType.DF_SBF2) {
                        c.len(); // hash count
                    }
                    long total = c.len();
                    filterBytesLeft = total;
                    if (total == 0) {
                        nextFilter();
                    } else {
                        state = State.FILTER_CHUNK_LEN;
                    }
                }
            }
            case FILTER_CHUNK_LEN -> {
                long n = c.len();
                if (n == 0 || n > filterBytesLeft) {
                    throw new RdbFormatException("a filter chunk of 1.." + filterBytesLeft + " bytes (got "
                            + Long.toUnsignedString(n) + ")", at);
                }
                filterBytesLeft -= n;
                rawLeft = n;
                state = State.RAW;
            }
            case RAW -> {
                long k = Math.min(rawLeft, RAW_UNIT);
                c.skip(k);
                rawLeft -= k;
                if (rawLeft == 0) {
                    afterRaw();
                }
            }
            case TOPK_HEAP -> {
                c.skipString();
                c.len();
                if (--heapLeft == 0) {
                    state = State.TOPK_COUNTERS;
                }
            }
            case TOPK_COUNTERS -> {
                c.stringSlice();
                if (c.sliceLen != topkCounterBytes) {
                    throw new RdbFormatException("TopK counters of " + topkCounterBytes + " bytes (got " + c.sliceLen + ")", at);
                }
                state = State.DONE;
            }
            default -> throw new IllegalStateException(state.name());
        }
        return state == State.DONE;
    }

    private void header(RdbCursor c, long at) throws RdbFormatException {
        switch (type) {
            case DF_SBF, DF_SBF2 -> {
                c.len(); // options
                double grow = c.binaryDouble();
                double fp = c.binaryDouble();
                c.len();
                c.len();
                c.len();
                long n = c.len();
                if (!(fp > 0 && fp < 1) || !(grow >= 1)) {
                    throw new RdbFormatException("a Bloom filter header (fp " + fp + ", growth " + grow + ")", at);
                }
                filtersLeft = n;
                state = n == 0 ? State.DONE : State.FILTER;
            }
            case DF_CMS -> {
                long w = c.len();
                long d = c.len();
                c.len();
                if (w <= 0 || d <= 0 || w > Long.MAX_VALUE / 8 / d) {
                    throw new RdbFormatException("a count-min sketch size (width " + w + ", depth " + d + ")", at);
                }
                rawLeft = w * d * 8;
                state = State.RAW;
            }
            case DF_TOPK -> {
                c.len();
                c.len(); // k
                long w = c.len();
                long d = c.len();
                c.binaryDouble();
                long heap = c.len();
                if (w <= 0 || d <= 0 || w > Long.MAX_VALUE / 4 / d) {
                    throw new RdbFormatException("a TopK size (width " + w + ", depth " + d + ")", at);
                }
                topkCounterBytes = w * d * 4;
                heapLeft = heap;
                state = heap == 0 ? State.TOPK_COUNTERS : State.TOPK_HEAP;
            }
            case DF_CUCKOO -> {
                for (int i = 0; i < 6; i++) {
                    c.len();
                }
                long n = c.len();
                filtersLeft = n;
                state = n == 0 ? State.DONE : State.FILTER;
            }
            default -> throw new IllegalStateException(type.name());
        }
    }

    private void afterRaw() {
        if (type == RdbType.DF_CMS) {
            state = State.DONE;
        } else if (filterBytesLeft > 0) {
            state = State.FILTER_CHUNK_LEN;
        } else {
            nextFilter();
        }
    }

    private void nextFilter() {
        state = --filtersLeft == 0 ? State.DONE : State.FILTER;
    }

    @Override
    public boolean decodable() {
        return false;
    }

    @Override
    public int batchSize() {
        return 0;
    }

    @Override
    public DecodedValue takeBatch(boolean last) {
        return null;
    }

    @Override
    public boolean empty() {
        return false;
    }
}
