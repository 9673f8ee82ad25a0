package io.df2redis.dragonfly.stream;

import io.df2redis.dragonfly.event.DecodedValue;
import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.dragonfly.event.RdbValue;
import io.df2redis.dragonfly.rdb.RdbBytes;
import io.df2redis.dragonfly.rdb.RdbCursor;
import io.df2redis.dragonfly.rdb.RdbFormatException;
import io.df2redis.dragonfly.rdb.RdbType;
import io.df2redis.dragonfly.rdb.TypeTable;
import io.df2redis.dragonfly.rdb.Underflow;
import io.df2redis.dragonfly.rdb.ValueWalker;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads one key entry, {@code [FC i64le expire] [DC u32le flags [u32le mc_flags]] type rdbstr(key)
 * value}, from pieces of input of any size, and emits it.
 *
 * <p>A value is first held whole (walked without decoding, its raw bytes kept) and emitted as a
 * {@link FlowEvent.SnapshotObject}. If its encoded size passes {@link
 * ParserConfig#maxHeldValueBytes()}, the bytes held so far are decoded and the value continues as
 * {@link FlowEvent.ObjectPart}s: element batches, string pieces, or (for types Redis cannot
 * decode) pieces of the encoding. Memory stays at about one part plus one element.
 *
 * <p>Input comes either straight from the caller's array (the fast path: a small entry that is
 * whole in the window is walked in place and copied once) or, when a unit straddles the end of the
 * input, from an internal buffer that collects just the bytes that unit still needs.
 */
final class EntryReader {
    private enum Stage { PREFIX, VALUE, STRING_PIECES, DONE }

    private enum Mode { CAPTURE, ELEMENTS, RAW_PIECES }

    private static final int OP_EXPIRETIME_MS = 0xfc;
    private static final int OP_DF_MASK = 0xdc;
    /** EXPIRETIME (seconds, i32le): only in old Redis files. */
    private static final int OP_EXPIRETIME_SEC = 0xfd;
    private static final int DF_MASK_MC_FLAGS = 2;

    private final ParserConfig cfg;
    private final Consumer<FlowEvent> out;
    private final RdbCursor cur;
    private final ByteAcc buf = new ByteAcc(256);
    private final ByteAcc piece = new ByteAcc(256);

    private TypeTable table;
    private int rdbVersion;
    private long skippedEmpty;

    // the entry
    private int db;
    private long expireAt;
    private int dfMask;
    private long mcFlags;
    private RdbType type;
    private byte[] key;

    private Stage stage = Stage.DONE;
    private Mode mode;
    private ValueWalker walker;
    private boolean stringChecked;
    private long stringLeft;
    private int partIndex;
    private long bytesSinceFlush;

    /** buf: CAPTURE = value bytes from the value's start; otherwise unwalked bytes of one unit. */
    private int walked;
    /** buf index that must be reached before walking again. */
    private long needEnd;
    /** direct path: array index the next unit needs (sub-windows in streaming modes). */
    private long directNeed;
    private int valueStart;

    // where buf's bytes came from, for error offsets
    private long bufBase;
    private long lastEnd = Long.MIN_VALUE;
    private boolean contiguous;
    private long windowBase;
    private int windowFrom;

    EntryReader(ParserConfig cfg, Consumer<FlowEvent> out) {
        this.cfg = cfg;
        this.out = out;
        this.cur = new RdbCursor(cfg.maxStringBytes());
    }

    /** Starts a new entry in {@code db}. */
    void start(int db, TypeTable table, int rdbVersion) {
        this.db = db;
        this.table = table;
        this.rdbVersion = rdbVersion;
        expireAt = -1;
        dfMask = 0;
        mcFlags = 0;
        type = null;
        key = null;
        stage = Stage.PREFIX;
        mode = Mode.CAPTURE;
        walker = null;
        stringChecked = false;
        partIndex = 0;
        bytesSinceFlush = 0;
        buf.clear();
        buf.shrink(1 << 16);
        piece.clear();
        walked = 0;
        needEnd = 0;
        directNeed = -1;
        contiguous = true;
        lastEnd = Long.MIN_VALUE;
    }

    boolean done() {
        return stage == Stage.DONE;
    }

    byte[] key() {
        return key;
    }

    long skippedEmpty() {
        return skippedEmpty;
    }

    /**
     * Consumes input until the entry is complete or the input ends.
     *
     * @param base location (flow or decompressed-blob offset) of {@code a[0]}, for errors
     * @return bytes consumed; less than {@code to - from} only when the entry completed
     */
    int feed(byte[] a, int from, int to, long base) throws RdbFormatException {
        windowBase = base;
        windowFrom = from;
        directNeed = -1;
        appendedThisCall = 0;
        int p = from;
        while (stage != Stage.DONE) {
            if (stage == Stage.STRING_PIECES) {
                if (p >= to) {
                    break;
                }
                p = pieces(a, p, to);
            } else if (!buf.isEmpty()) {
                if (buf.len >= needEnd) {
                    p = walkBuffered(p, base);
                } else if (p < to) {
                    p = appendToBuf(a, p, to, base);
                } else {
                    break;
                }
            } else if (p < to) {
                p = direct(a, p, to, base);
            } else {
                break;
            }
        }
        return p - from;
    }

    /** Bytes appended to buf during the current {@link #feed} call (they may be given back). */
    private int appendedThisCall;

    /** Value bytes held whole before switching to parts, plus one to notice the overflow. */
    private long captureCap() {
        return (long) cfg.maxHeldValueBytes() + 1;
    }

    // ---------------------------------------------------------------- direct path

    private int direct(byte[] a, int p, int to, long base) throws RdbFormatException {
        boolean streaming = stage == Stage.VALUE && mode != Mode.CAPTURE;
        int limit = to;
        if (streaming) {
            long want = Math.max((long) p + cfg.partBytes(), directNeed);
            limit = (int) Math.min(to, want);
        }
        if (stage == Stage.VALUE && mode == Mode.CAPTURE) {
            valueStart = p; // in capture mode buf is empty only when the value starts here
            limit = (int) Math.min(to, p + captureCap());
        }
        cur.reset(a, p, limit, base);
        try {
            runUnits();
        } catch (Underflow u) {
            int q = cur.pos();
            long need = cur.needEnd();
            if (stage == Stage.PREFIX) {
                hold(a, q, to, base, need);
                return to;
            }
            if (mode == Mode.CAPTURE) {
                // keep the whole value so far (up to the cap): it may still be emitted whole
                int end = cur.limit();
                hold(a, valueStart, end, base, need);
                walked = q - valueStart;
                maybeStartStreaming();
                return end;
            }
            afterStreamingWalk(a, streaming ? p : valueStart, q);
            if (need <= to) {
                directNeed = need;
                return q;
            }
            hold(a, q, to, base, need);
            return to;
        }
        if (stage != Stage.PREFIX && mode != Mode.CAPTURE && stage != Stage.STRING_PIECES) {
            afterStreamingWalk(a, streaming ? p : valueStart, cur.pos());
        }
        return cur.pos();
    }

    /** Keeps {@code a[from, to)} in buf; {@code need} is the array index the next unit needs. */
    private void hold(byte[] a, int from, int to, long base, long need) {
        bufBase = base + from;
        buf.append(a, from, to - from);
        walked = 0;
        needEnd = need - from;
        lastEnd = base + to;
    }

    // ---------------------------------------------------------------- buffered path

    /** Appends input to buf: in capture mode up to the cap, otherwise what the next unit needs. */
    private int appendToBuf(byte[] a, int p, int to, long base) throws RdbFormatException {
        if (lastEnd != base + p) {
            contiguous = false;
        }
        long want = stage != Stage.PREFIX && mode == Mode.CAPTURE
                ? captureCap() - buf.len
                : needEnd - buf.len;
        int n = (int) Math.min(Math.max(1, want), to - p);
        buf.append(a, p, n);
        appendedThisCall += n;
        lastEnd = base + p + n;
        if (buf.len < needEnd && stage != Stage.PREFIX && mode == Mode.CAPTURE) {
            maybeStartStreaming();
        }
        return p + n;
    }

    /** Walks buf (enough bytes for the next unit are there); returns p less any bytes given back. */
    private int walkBuffered(int p, long base) throws RdbFormatException {
        boolean streaming = stage == Stage.VALUE && mode != Mode.CAPTURE;
        int start = walked;
        valueStart = 0; // capture mode: buf starts at the value; a prefix completing here moves it
        cur.reset(buf.a, start, buf.len, contiguous ? bufBase : windowBase + windowFrom);
        try {
            runUnits();
        } catch (Underflow u) {
            int q = cur.pos();
            needEnd = cur.needEnd();
            if (stage == Stage.PREFIX) {
                dropWalked(q);
                return p;
            }
            if (mode == Mode.CAPTURE) {
                // the value starts at valueStart inside buf (after a prefix completed here)
                buf.discard(valueStart);
                bufBase += valueStart;
                needEnd -= valueStart;
                walked = q - valueStart;
                valueStart = 0;
                maybeStartStreaming();
                return p;
            }
            afterStreamingWalk(buf.a, streaming ? start : valueStart, q);
            dropWalked(q);
            return p;
        }
        int q = cur.pos();
        if (stage != Stage.STRING_PIECES && mode != Mode.CAPTURE) {
            afterStreamingWalk(buf.a, streaming ? start : valueStart, q);
        }
        if (stage == Stage.DONE || stage == Stage.STRING_PIECES) {
            // give back the bytes past this point: they came with this call
            int back = buf.len - q;
            if (back > appendedThisCall) {
                throw new IllegalStateException("entry reader holds " + back + " bytes past the entry, only "
                        + appendedThisCall + " came with this call");
            }
            appendedThisCall -= back;
            buf.clear();
            needEnd = 0;
            walked = 0;
            return p - back;
        }
        dropWalked(q);
        return p;
    }

    private void dropWalked(int q) {
        buf.discard(q);
        bufBase += q;
        needEnd -= q;
        walked = 0;
        if (buf.isEmpty()) {
            needEnd = 0;
        }
    }

    // ---------------------------------------------------------------- units

    /** Runs prefix units and value units on {@link #cur} until done, or Underflow. */
    private void runUnits() throws RdbFormatException {
        boolean hadPrefix = stage == Stage.PREFIX;
        while (stage == Stage.PREFIX) {
            prefixUnit();
        }
        if (stage != Stage.VALUE) {
            return;
        }
        if (hadPrefix && mode == Mode.CAPTURE) {
            cur.limit((int) Math.min(cur.limit(), valueStart + captureCap()));
        }
        if (!stringChecked && isStringLike(type)) {
            stringChecked = true;
            int mark = cur.pos();
            valueStart = mark;
            try {
                if (startStringPieces()) {
                    return;
                }
            } catch (Underflow u) {
                stringChecked = false;
                cur.pos(mark);
                throw u;
            }
            cur.pos(mark);
        }
        if (mode == Mode.CAPTURE) {
            int start = cur.pos();
            if (walker.walk(cur)) {
                finishCaptured(cur.array(), valueStart, cur.pos());
            }
            return;
        }
        if (walker.walk(cur, budget())) {
            stage = Stage.DONE;
            if (mode == Mode.ELEMENTS) {
                emitPart(walker.takeBatch(true), true);
            } else {
                rawFinishPending = true;
            }
        }
    }

    private int budget() {
        return cfg.partElements();
    }

    private void prefixUnit() throws RdbFormatException {
        int op = cur.peekU8();
        long at = cur.offset();
        if (op == OP_EXPIRETIME_MS) {
            cur.need(9);
            cur.u8();
            expireAt = cur.i64le();
            return;
        }
        if (op == OP_EXPIRETIME_SEC) {
            cur.need(5);
            cur.u8();
            expireAt = (cur.u32le() & 0xffffffffL) * 1000;
            return;
        }
        if (op == OP_DF_MASK) {
            cur.need(5);
            int flags = RdbBytes.u32le(cur.array(), cur.pos() + 1);
            if ((flags & DF_MASK_MC_FLAGS) != 0) {
                cur.need(9);
                mcFlags = RdbBytes.u32le(cur.array(), cur.pos() + 5) & 0xffffffffL;
                cur.skip(9);
            } else {
                cur.skip(5);
            }
            dfMask = flags;
            return;
        }
        RdbType t = table.typeOf(op, rdbVersion);
        if (t == null) {
            throw new RdbFormatException("an object type (got 0x" + Integer.toHexString(op) + ")", at);
        }
        int mark = cur.pos();
        cur.u8();
        byte[] k;
        try {
            k = cur.string();
        } catch (Underflow u) {
            cur.pos(mark);
            throw u;
        }
        type = t;
        key = k;
        stage = Stage.VALUE;
        valueStart = cur.pos();
        walker = ValueWalker.forType(t, false);
    }

    private static boolean isStringLike(RdbType t) {
        return t == RdbType.STRING || t == RdbType.DF_JSON || t == RdbType.DF_JSON_LEGACY;
    }

    /** For a string bigger than the held limit: switch to pieces. Returns true if it did. */
    private boolean startStringPieces() throws RdbFormatException {
        long at = cur.offset();
        long h = cur.lenOrEnc();
        if (h >= 0) {
            if (h <= cfg.maxHeldValueBytes()) {
                return false;
            }
            stringLeft = h;
            stage = Stage.STRING_PIECES;
            return true;
        }
        if ((h & 0x3f) != RdbCursor.ENC_LZF) {
            return false;
        }
        long clen = cur.len();
        long ulen = cur.len();
        if (ulen <= cfg.maxHeldValueBytes()) {
            return false;
        }
        if (clen > cfg.maxStringBytes() || ulen > cfg.maxStringBytes()) {
            throw new RdbFormatException("an LZF string ≤ " + cfg.maxStringBytes() + " bytes (compressed "
                    + clen + ", uncompressed " + ulen + ")", at);
        }
        cur.need(clen);
        byte[] s = io.df2redis.dragonfly.rdb.Lzf.decompress(cur.array(), cur.pos(), (int) clen, (int) ulen, at);
        cur.skip(clen);
        for (int i = 0; i < s.length; i += cfg.partBytes()) {
            int n = Math.min(cfg.partBytes(), s.length - i);
            emitPart(stringPiece(Arrays.copyOfRange(s, i, i + n)), i + n == s.length);
        }
        stage = Stage.DONE;
        return true;
    }

    private DecodedValue stringPiece(byte[] b) {
        return type.kind() == RdbType.Kind.JSON ? new DecodedValue.JsonValue(b) : new DecodedValue.StringValue(b);
    }

    /** A string's content, in pieces of exactly {@code partBytes} (the last one shorter). */
    private int pieces(byte[] a, int p, int to) {
        int n = (int) Math.min(Math.min(to - p, stringLeft), cfg.partBytes() - piece.len);
        stringLeft -= n;
        if (piece.isEmpty() && n == cfg.partBytes()) {
            emitPart(stringPiece(Arrays.copyOfRange(a, p, p + n)), stringLeft == 0);
            if (stringLeft == 0) {
                stage = Stage.DONE;
            }
            return p + n;
        }
        piece.append(a, p, n);
        if (piece.len >= cfg.partBytes() || stringLeft == 0) {
            emitPart(stringPiece(Arrays.copyOf(piece.a, piece.len)), stringLeft == 0);
            piece.clear();
        }
        if (stringLeft == 0) {
            stage = Stage.DONE;
        }
        return p + n;
    }

    // ---------------------------------------------------------------- completion

    private void finishCaptured(byte[] a, int from, int to) {
        stage = Stage.DONE;
        if (walker.empty()) {
            skippedEmpty++;
            return;
        }
        byte[] raw = Arrays.copyOfRange(a, from, to);
        out.accept(new FlowEvent.SnapshotObject(db, key, expireAt, dfMask, mcFlags, new RdbValue(type, raw)));
    }

    /** Capture mode grew past the limit: decode what is held and continue in parts. */
    private void maybeStartStreaming() throws RdbFormatException {
        if (buf.len <= cfg.maxHeldValueBytes()) {
            return;
        }
        boolean opaque = !walker.decodable();
        mode = opaque ? Mode.RAW_PIECES : Mode.ELEMENTS;
        walker = ValueWalker.forType(type, !opaque);
        int heldWalked = walked;
        if (opaque) {
            // the walked prefix is already validated: emit it as the first pieces
            for (int i = 0; i < heldWalked; i += cfg.partBytes()) {
                int n = Math.min(cfg.partBytes(), heldWalked - i);
                piece.append(buf.a, i, n);
                flushPiece(false);
            }
            // re-walk structure from scratch to reach the same state
            cur.reset(buf.a, 0, heldWalked, contiguous ? bufBase : windowBase + windowFrom);
            try {
                walker.walk(cur);
                throw new RdbFormatException("the value to continue (it ended inside the held bytes)", cur.offset());
            } catch (Underflow u) {
                // expected: the held bytes end inside the value
            }
        } else {
            cur.reset(buf.a, 0, heldWalked, contiguous ? bufBase : windowBase + windowFrom);
            int start = 0;
            while (true) {
                try {
                    if (walker.walk(cur, budget())) {
                        throw new RdbFormatException("the value to continue (it ended inside the held bytes)", cur.offset());
                    }
                } catch (Underflow u) {
                    break;
                }
                flushBatchIfFull(cur.pos() - start, false);
                start = cur.pos();
            }
            bytesSinceFlush += cur.pos() - start;
            flushBatchIfFull(0, false);
        }
        int consumed = cur.pos();
        buf.discard(consumed);
        bufBase += consumed;
        needEnd -= consumed;
        walked = 0;
    }

    /** After walking {@code [from, q)} of {@code a} in a streaming mode. */
    private void afterStreamingWalk(byte[] a, int from, int q) {
        if (mode == Mode.RAW_PIECES) {
            piece.append(a, from, q - from);
            if (rawFinishPending) {
                rawFinishPending = false;
                flushPiece(true);
            } else if (piece.len >= cfg.partBytes()) {
                flushPiece(false);
            }
            return;
        }
        if (stage != Stage.DONE) {
            flushBatchIfFull(q - from, false);
        }
    }

    private boolean rawFinishPending;

    private void flushBatchIfFull(long walkedBytes, boolean last) {
        bytesSinceFlush += walkedBytes;
        if (walker.batchSize() >= cfg.partElements() || bytesSinceFlush >= cfg.partBytes()) {
            if (walker.batchSize() > 0 || last) {
                emitPart(walker.takeBatch(last), last);
                bytesSinceFlush = 0;
            }
        }
    }

    private void flushPiece(boolean last) {
        emitPart(new DecodedValue.OpaqueValue(Arrays.copyOf(piece.a, piece.len)), last);
        piece.clear();
    }

    private void emitPart(DecodedValue v, boolean last) {
        out.accept(new FlowEvent.ObjectPart(db, key, type, partIndex++, last, expireAt, dfMask, mcFlags, v));
    }

}
