package io.df2redis.dragonfly.rdb;

import java.util.List;

/** Redis zipmap blobs (RDB type 9, hashes of RDB ≤ 3 files). */
public final class Zipmap {
    private Zipmap() {}

    /** Validates and adds field, value, field, value… when {@code out != null}; returns the pair count. */
    public static int decode(byte[] b, int off, int len, List<byte[]> out, long errBase) throws RdbFormatException {
        int end = off + len;
        if (len < 2) {
            throw new RdbFormatException("a zipmap of at least 2 bytes", errBase);
        }
        int p = off + 1; // zmlen: a count hint (254 = unknown), not trusted
        int pairs = 0;
        while (true) {
            if (p >= end) {
                throw new RdbFormatException("a zipmap terminator", errBase + (p - off));
            }
            if ((b[p] & 0xff) == 0xff) {
                break;
            }
            int[] fieldAt = new int[2];
            p = readLen(b, p, end, fieldAt, errBase + (p - off));
            if (p + fieldAt[0] > end) {
                throw new RdbFormatException("a zipmap field inside the blob", errBase + (p - off));
            }
            int fOff = p;
            int fLen = fieldAt[0];
            p += fLen;
            int[] valAt = new int[2];
            p = readLen(b, p, end, valAt, errBase + (p - off));
            if (p >= end) {
                throw new RdbFormatException("a zipmap free-space byte", errBase + (p - off));
            }
            int free = b[p++] & 0xff;
            if ((long) p + valAt[0] + free > end) {
                throw new RdbFormatException("a zipmap value inside the blob", errBase + (p - off));
            }
            if (out != null) {
                out.add(java.util.Arrays.copyOfRange(b, fOff, fOff + fLen));
                out.add(java.util.Arrays.copyOfRange(b, p, p + valAt[0]));
            }
            p += valAt[0] + free;
            pairs++;
        }
        if (p != end - 1) {
            throw new RdbFormatException("zipmap terminator as the last byte", errBase + (p - off));
        }
        return pairs;
    }

    private static int readLen(byte[] b, int p, int end, int[] out, long at) throws RdbFormatException {
        if (p >= end) {
            throw new RdbFormatException("a zipmap length", at);
        }
        int c = b[p] & 0xff;
        if (c < 254) {
            out[0] = c;
            return p + 1;
        }
        if (c == 254 && p + 5 <= end) {
            int v = RdbBytes.u32le(b, p + 1);
            if (v < 0) {
                throw new RdbFormatException("a zipmap length < 2^31", at);
            }
            out[0] = v;
            return p + 5;
        }
        throw new RdbFormatException("a zipmap length", at);
    }
}
