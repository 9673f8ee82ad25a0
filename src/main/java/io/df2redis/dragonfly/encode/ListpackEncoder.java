package io.df2redis.dragonfly.encode;

import java.util.List;

/**
 * Encodes Redis listpacks (the blob inside RDB types 16, 17, 18 nodes and streams): 6-byte header
 * (u32le total bytes, u16le element count), entries each followed by its back-length, then 0xFF.
 * Elements that are canonical integers get the integer encodings, as {@code lpAppend} does.
 */
public final class ListpackEncoder {
    private ListpackEncoder() {}

    public static byte[] encode(List<byte[]> elements) {
        RdbWriter w = new RdbWriter(64 + elements.size() * 8);
        w.u32le(0).u16le(Math.min(elements.size(), 65535));
        for (byte[] e : elements) {
            appendEntry(w, e);
        }
        w.u8(0xFF);
        byte[] out = w.toByteArray();
        int total = out.length;
        out[0] = (byte) total;
        out[1] = (byte) (total >>> 8);
        out[2] = (byte) (total >>> 16);
        out[3] = (byte) (total >>> 24);
        return out;
    }

    private static void appendEntry(RdbWriter w, byte[] e) {
        int start = w.size();
        long v = IntegerText.parseCanonical(e, 20);
        if (v != IntegerText.NOT_AN_INTEGER) {
            if (v >= 0 && v <= 127) {
                w.u8((int) v);
            } else if (v >= -4096 && v <= 4095) {
                int u = (int) (v & 0x1FFF);
                w.u8(0xC0 | (u >>> 8)).u8(u & 0xFF);
            } else if (v >= -32768 && v <= 32767) {
                w.u8(0xF1).u16le((int) v);
            } else if (v >= -8388608 && v <= 8388607) {
                w.u8(0xF2).u8((int) v).u8((int) (v >>> 8)).u8((int) (v >>> 16));
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                w.u8(0xF3).u32le(v);
            } else {
                w.u8(0xF4).u64le(v);
            }
        } else if (e.length < 64) {
            w.u8(0x80 | e.length).bytes(e);
        } else if (e.length < 4096) {
            w.u8(0xE0 | (e.length >>> 8)).u8(e.length & 0xFF).bytes(e);
        } else {
            w.u8(0xF0).u32le(e.length).bytes(e);
        }
        backlen(w, w.size() - start);
    }

    /** {@code lpEncodeBacklen}: the entry size in 7-bit groups, readable from its last byte. */
    private static void backlen(RdbWriter w, long l) {
        if (l <= 127) {
            w.u8((int) l);
        } else if (l < 16383) {
            w.u8((int) (l >>> 7)).u8((int) ((l & 127) | 128));
        } else if (l < 2097151) {
            w.u8((int) (l >>> 14)).u8((int) (((l >>> 7) & 127) | 128)).u8((int) ((l & 127) | 128));
        } else if (l < 268435455) {
            w.u8((int) (l >>> 21)).u8((int) (((l >>> 14) & 127) | 128)).u8((int) (((l >>> 7) & 127) | 128))
                    .u8((int) ((l & 127) | 128));
        } else {
            w.u8((int) (l >>> 28)).u8((int) (((l >>> 21) & 127) | 128)).u8((int) (((l >>> 14) & 127) | 128))
                    .u8((int) (((l >>> 7) & 127) | 128)).u8((int) ((l & 127) | 128));
        }
    }
}
