package io.df2redis.dragonfly.encode;

import com.ning.compress.lzf.ChunkEncoder;
import com.ning.compress.lzf.LZFChunk;
import com.ning.compress.lzf.util.ChunkEncoderFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer with the primitives of Dragonfly's RDB and journal encodings (protocol doc
 * §2): packed lengths, RDB strings (integer-encoded like the master does, or LZF), fixed-width
 * little-endian integers and binary doubles. Not thread-safe.
 */
public final class RdbWriter {
    private byte[] buf;
    private int len;

    public RdbWriter() {
        this(256);
    }

    public RdbWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public RdbWriter u8(int b) {
        ensure(1);
        buf[len++] = (byte) b;
        return this;
    }

    public RdbWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    public RdbWriter bytes(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    public RdbWriter ascii(String s) {
        return bytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    public RdbWriter u16le(int v) {
        ensure(2);
        buf[len++] = (byte) v;
        buf[len++] = (byte) (v >>> 8);
        return this;
    }

    public RdbWriter u32le(long v) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    public RdbWriter u64le(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    public RdbWriter u64be(long v) {
        ensure(8);
        for (int i = 7; i >= 0; i--) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    /** IEEE-754 binary64, little-endian (ZSET_2 scores). */
    public RdbWriter doubleLe(double d) {
        return u64le(Double.doubleToRawLongBits(d));
    }

    /** The RDB length encoding ("packed uint"), shortest form, as {@code rdbSaveLen} writes it. */
    public RdbWriter length(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative length " + v);
        }
        ensure(9);
        if (v < 1 << 6) {
            buf[len++] = (byte) v;
        } else if (v < 1 << 14) {
            buf[len++] = (byte) (0x40 | (v >>> 8));
            buf[len++] = (byte) v;
        } else if (v <= 0xFFFFFFFFL) {
            buf[len++] = (byte) 0x80;
            for (int i = 3; i >= 0; i--) {
                buf[len++] = (byte) (v >>> (8 * i));
            }
        } else {
            buf[len++] = (byte) 0x81;
            for (int i = 7; i >= 0; i--) {
                buf[len++] = (byte) (v >>> (8 * i));
            }
        }
        return this;
    }

    /**
     * An RDB string as the master writes it: integer-encoded (INT8/16/32) when the bytes are the
     * canonical decimal form of an integer in int32 range, else length + raw bytes.
     */
    public RdbWriter string(byte[] s) {
        long v = IntegerText.parseCanonical(s, 11);
        if (v != IntegerText.NOT_AN_INTEGER) {
            if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                return u8(0xC0).u8((int) v);
            }
            if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                return u8(0xC1).u16le((int) v);
            }
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                return u8(0xC2).u32le(v);
            }
        }
        return rawString(s);
    }

    public RdbWriter string(String s) {
        return string(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Length + raw bytes, never integer-encoded (e.g. listpack and intset blobs). */
    public RdbWriter rawString(byte[] s) {
        return rawString(s, 0, s.length);
    }

    public RdbWriter rawString(byte[] s, int off, int n) {
        length(n);
        return bytes(s, off, n);
    }

    /**
     * An RDB string LZF-compressed ({@code 0xC3}, compressed length, raw length, liblzf data) as the
     * master does in {@code --compression_mode=1} for strings over 20 bytes; falls back to {@link
     * #string} when the bytes do not compress or are too long for one LZF chunk.
     */
    public RdbWriter lzfString(byte[] s) {
        if (s.length <= 20 || s.length > LZFChunk.MAX_CHUNK_LEN) {
            return string(s);
        }
        ChunkEncoder enc = ChunkEncoderFactory.safeInstance(s.length);
        LZFChunk chunk = enc.encodeChunk(s, 0, s.length);
        byte[] data = chunk.getData();
        // A compressed chunk has a 7-byte header: 'Z' 'V' 1 <u16be compressed> <u16be raw>.
        if (data[2] != LZFChunk.BLOCK_TYPE_COMPRESSED || data.length - 7 >= s.length) {
            return string(s);
        }
        u8(0xC3);
        length(data.length - 7);
        length(s.length);
        return bytes(data, 7, data.length - 7);
    }

    public int size() {
        return len;
    }

    public RdbWriter reset() {
        len = 0;
        return this;
    }

    /** The internal buffer; valid bytes are {@code [0, size())}. */
    public byte[] buffer() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
