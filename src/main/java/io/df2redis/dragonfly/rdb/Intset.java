package io.df2redis.dragonfly.rdb;

import java.util.List;

/** Redis intset blobs (RDB type 11): u32le encoding (2/4/8), u32le count, sorted unique integers. */
public final class Intset {
    private Intset() {}

    /** Validates like Redis's intsetValidateIntegrity (deep) and adds members when {@code out != null}. */
    public static int decode(byte[] b, int off, int len, List<byte[]> out, long errBase) throws RdbFormatException {
        if (len < 8) {
            throw new RdbFormatException("an intset of at least 8 bytes (got " + len + ")", errBase);
        }
        int enc = RdbBytes.u32le(b, off);
        if (enc != 2 && enc != 4 && enc != 8) {
            throw new RdbFormatException("intset encoding 2, 4 or 8 (got " + enc + ")", errBase);
        }
        long count = RdbBytes.u32le(b, off + 4) & 0xffffffffL;
        if (8 + count * enc != len) {
            throw new RdbFormatException("intset of " + count + " × " + enc + " bytes in " + len + " bytes", errBase);
        }
        long prev = 0;
        for (int i = 0; i < count; i++) {
            int p = off + 8 + i * enc;
            long v = enc == 2 ? (short) RdbBytes.u16le(b, p) : enc == 4 ? RdbBytes.u32le(b, p) : RdbBytes.i64le(b, p);
            if (i > 0 && v <= prev) {
                throw new RdbFormatException("intset members in ascending order", errBase + (p - off));
            }
            prev = v;
            if (out != null) {
                out.add(RdbBytes.decimal(v));
            }
        }
        return (int) count;
    }
}
