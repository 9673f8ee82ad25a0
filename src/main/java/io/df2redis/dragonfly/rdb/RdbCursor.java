package io.df2redis.dragonfly.rdb;

import java.nio.charset.StandardCharsets;

/**
 * Reads RDB primitives from a window {@code [pos, limit)} of a byte array. A read that needs bytes
 * past the limit throws {@link Underflow} (after recording {@link #needEnd()}); the caller rewinds
 * to the last complete unit and retries once more bytes arrived. Lengths are checked against
 * {@code maxBlob} before anything is allocated, so a bogus length cannot exhaust memory.
 */
public final class RdbCursor {
    /** Packed-length first byte 11xxxxxx: an encoded string follows, not a length. */
    public static final int ENC_INT8 = 0;
    public static final int ENC_INT16 = 1;
    public static final int ENC_INT32 = 2;
    public static final int ENC_LZF = 3;

    private byte[] a;
    private int pos;
    private int limit;
    private long needEnd;
    private final long maxBlob;
    /** Offset of a[0] in whatever the caller reports errors against. */
    private long base;

    public RdbCursor(long maxBlob) {
        this.maxBlob = maxBlob;
    }

    public RdbCursor(byte[] a, int pos, int limit, long maxBlob) {
        this(maxBlob);
        reset(a, pos, limit, 0);
    }

    public RdbCursor reset(byte[] array, int from, int to, long baseOffset) {
        this.a = array;
        this.pos = from;
        this.limit = to;
        this.base = baseOffset;
        return this;
    }

    public byte[] array() {
        return a;
    }

    public int pos() {
        return pos;
    }

    public void pos(int p) {
        pos = p;
    }

    public int limit() {
        return limit;
    }

    /** Narrows the window: bytes at or past {@code newLimit} are not read. */
    public void limit(int newLimit) {
        limit = Math.max(pos, Math.min(limit, newLimit));
    }

    public int remaining() {
        return limit - pos;
    }

    /** Absolute error offset of the current position. */
    public long offset() {
        return base + pos;
    }

    public long offsetOf(int p) {
        return base + p;
    }

    /**
     * After an {@link Underflow}: the array index up to which bytes must be present for the failed
     * read to succeed (a lower bound; may exceed the array).
     */
    public long needEnd() {
        return needEnd;
    }

    public long maxBlob() {
        return maxBlob;
    }

    /** Throws {@link Underflow} unless {@code n} bytes are available. */
    public void need(long n) {
        if (limit - pos < n) {
            needEnd = pos + n;
            throw Underflow.INSTANCE;
        }
    }

    public int u8() {
        need(1);
        return a[pos++] & 0xff;
    }

    public int peekU8() {
        need(1);
        return a[pos] & 0xff;
    }

    public void skip(long n) {
        need(n);
        pos += (int) n;
    }

    public int u16le() {
        need(2);
        int v = (a[pos] & 0xff) | (a[pos + 1] & 0xff) << 8;
        pos += 2;
        return v;
    }

    public int u32le() {
        need(4);
        int v = RdbBytes.u32le(a, pos);
        pos += 4;
        return v;
    }

    public long i64le() {
        need(8);
        long v = RdbBytes.i64le(a, pos);
        pos += 8;
        return v;
    }

    public long u64be() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (a[pos + i] & 0xff);
        }
        pos += 8;
        return v;
    }

    public double binaryDouble() {
        return Double.longBitsToDouble(i64le());
    }

    public float binaryFloat() {
        return Float.intBitsToFloat(u32le());
    }

    /** Size in bytes of the packed length starting here (1, 2, 5 or 9). */
    public int packedSize() throws RdbFormatException {
        int b = peekU8();
        switch (b >> 6) {
            case 0:
            case 3:
                return 1;
            case 1:
                return 2;
            default:
                if (b == 0x80) {
                    return 5;
                }
                if (b == 0x81) {
                    return 9;
                }
                throw new RdbFormatException("a length (bad length prefix 0x" + Integer.toHexString(b) + ")", offset());
        }
    }

    /** A packed length (§2.1); an encoded-string marker here is an error. */
    public long len() throws RdbFormatException {
        int b = peekU8();
        if ((b & 0xc0) == 0xc0) {
            throw new RdbFormatException("a length, not an encoded-string marker 0x" + Integer.toHexString(b), offset());
        }
        return lenOrEnc();
    }

    /** A length that must fit an int and be ≤ {@code max}. */
    public int len(long max, String what) throws RdbFormatException {
        long start = offset();
        long v = len();
        if (v < 0 || v > max) {
            throw new RdbFormatException(what + " ≤ " + max + " (got " + Long.toUnsignedString(v) + ")", start);
        }
        return (int) v;
    }

    /**
     * A packed uint as the journal reads it ({@code ReadPackedUInt}): 11xxxxxx is a 6-bit value
     * there. Also used for the length part of an rdbstr header by {@link #lenOrEnc()}.
     */
    public long packedUInt() throws RdbFormatException {
        return lenOrEnc() & ~ENC_FLAG;
    }

    /** Set on the result of {@link #lenOrEnc()} when the byte was an encoded-string marker. */
    public static final long ENC_FLAG = Long.MIN_VALUE;

    /** A packed length, or {@code ENC_FLAG | enc} for an 11xxxxxx marker. */
    public long lenOrEnc() throws RdbFormatException {
        int size = packedSize();
        need(size);
        int b = a[pos] & 0xff;
        long v;
        switch (size) {
            case 1:
                v = (b & 0xc0) == 0xc0 ? ENC_FLAG | (b & 0x3f) : b & 0x3f;
                break;
            case 2:
                v = (b & 0x3f) << 8 | (a[pos + 1] & 0xff);
                break;
            case 5:
                v = RdbBytes.u32be(a, pos + 1) & 0xffffffffL;
                break;
            default:
                v = RdbBytes.u64be(a, pos + 1);
                break;
        }
        pos += size;
        return v;
    }

    /**
     * Reads an rdbstr (§2.2) and returns its bytes: integers as decimal text, LZF decompressed.
     */
    public byte[] string() throws RdbFormatException {
        int start = pos;
        long start0 = offset();
        long h = lenOrEnc();
        if (h >= 0) {
            int n = checkBlob(h, start0, "string");
            need(n);
            byte[] out = new byte[n];
            System.arraycopy(a, pos, out, 0, n);
            pos += n;
            return out;
        }
        int enc = (int) (h & 0x3f);
        switch (enc) {
            case ENC_INT8:
                return ascii(Long.toString(a8()));
            case ENC_INT16:
                need(2);
                short s = (short) ((a[pos] & 0xff) | (a[pos + 1] << 8));
                pos += 2;
                return ascii(Long.toString(s));
            case ENC_INT32:
                return ascii(Long.toString(u32le()));
            case ENC_LZF: {
                int clen = checkBlob(len(), start0, "LZF compressed length");
                int ulen = checkBlob(len(), start0, "LZF uncompressed length");
                need(clen);
                byte[] out = Lzf.decompress(a, pos, clen, ulen, start0);
                pos += clen;
                return out;
            }
            default:
                pos = start;
                throw new RdbFormatException("a string encoding 0..3 (got " + enc + ")", start0);
        }
    }

    private long a8() {
        need(1);
        return a[pos++];
    }

    /** Result of {@link #stringSlice()}: the string's bytes are {@code sliceArray[sliceOff, +sliceLen)}. */
    public byte[] sliceArray;

    public int sliceOff;
    public int sliceLen;

    /**
     * Reads an rdbstr without copying a plain one: afterwards {@link #sliceArray} is the cursor's
     * own array (plain string) or a new array (integer or LZF encoding).
     */
    public void stringSlice() throws RdbFormatException {
        int start = pos;
        long start0 = offset();
        long h = lenOrEnc();
        if (h >= 0) {
            int n = checkBlob(h, start0, "string");
            need(n);
            sliceArray = a;
            sliceOff = pos;
            sliceLen = n;
            pos += n;
            return;
        }
        pos = start;
        byte[] s = string();
        sliceArray = s;
        sliceOff = 0;
        sliceLen = s.length;
    }

    /** Skips an rdbstr without materializing it (LZF is not decompressed). */
    public void skipString() throws RdbFormatException {
        long start0 = offset();
        long h = lenOrEnc();
        if (h >= 0) {
            skip(checkBlob(h, start0, "string"));
            return;
        }
        switch ((int) (h & 0x3f)) {
            case ENC_INT8 -> skip(1);
            case ENC_INT16 -> skip(2);
            case ENC_INT32 -> skip(4);
            case ENC_LZF -> {
                int clen = checkBlob(len(), start0, "LZF compressed length");
                checkBlob(len(), start0, "LZF uncompressed length");
                skip(clen);
            }
            default -> throw new RdbFormatException("a string encoding 0..3 (got " + (h & 0x3f) + ")", start0);
        }
    }

    /** An rdbstr holding a decimal integer (member TTLs, module values). */
    public long decimalString(String what) throws RdbFormatException {
        long start0 = offset();
        byte[] s = string();
        Long v = RdbBytes.parseLong(s);
        if (v == null) {
            throw new RdbFormatException(what + " as a decimal integer (got \"" + RdbBytes.printable(s) + "\")", start0);
        }
        return v;
    }

    /** A string-encoded double of RDB type ZSET (3): 1 length byte, 253/254/255 = nan/+inf/-inf. */
    public double stringDouble() throws RdbFormatException {
        long start0 = offset();
        int n = u8();
        switch (n) {
            case 253: return Double.NaN;
            case 254: return Double.POSITIVE_INFINITY;
            case 255: return Double.NEGATIVE_INFINITY;
            default: {
                need(n);
                String s = new String(a, pos, n, StandardCharsets.US_ASCII);
                pos += n;
                try {
                    return RdbBytes.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new RdbFormatException("a score (got \"" + s + "\")", start0);
                }
            }
        }
    }

    private int checkBlob(long n, long at, String what) throws RdbFormatException {
        if (n < 0 || n > maxBlob || n > Integer.MAX_VALUE - 16) {
            throw new RdbFormatException(what + " length ≤ " + maxBlob + " (got " + Long.toUnsignedString(n) + ")", at);
        }
        return (int) n;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
