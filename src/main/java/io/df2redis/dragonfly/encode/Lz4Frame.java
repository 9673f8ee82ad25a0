package io.df2redis.dragonfly.encode;

import java.util.Arrays;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Writes one LZ4 frame the way {@code LZ4F_compressFrame} does with Dragonfly's preferences: 64 KiB
 * blocks, content size in the header, no checksums, and linked blocks (each block may refer back
 * into the previous 64 KiB) unless the input fits one block. lz4-java's frame reader rejects linked
 * blocks, so streams made with them prove a parser can read what a real master sends. The block
 * compressor is a small greedy LZ4 matcher of its own, because neither lz4-java nor commons-compress
 * offers a fast one that can refer into the previous block.
 */
public final class Lz4Frame {
    private static final int MAGIC = 0x184D2204;
    private static final int BLOCK = 64 * 1024;
    private static final int MAX_OFFSET = 65535;
    private static final int HASH_BITS = 16;
    /** LZ4 block rules: the last 5 bytes are literals; the last match starts at least 12 bytes before the end. */
    private static final int LAST_LITERALS = 5;
    private static final int MF_LIMIT = 12;

    private Lz4Frame() {}

    public static byte[] compress(byte[] data, boolean linkedBlocks) {
        return compress(data, 0, data.length, linkedBlocks);
    }

    public static byte[] compress(byte[] data, int off, int len, boolean linkedBlocks) {
        // LZ4F marks a frame that fits one block as independent whatever the preference.
        linkedBlocks &= len > BLOCK;
        RdbWriter w = new RdbWriter(len / 2 + 64);
        w.u32le(MAGIC);
        int flg = 0x40 | 0x08 | (linkedBlocks ? 0 : 0x20);
        int bd = 0x40;
        byte[] d = new RdbWriter(10).u8(flg).u8(bd).u64le(len).toByteArray();
        int hc = (XXHashFactory.fastestJavaInstance().hash32().hash(d, 0, d.length, 0) >>> 8) & 0xFF;
        w.bytes(d).u8(hc);
        int[] table = new int[1 << HASH_BITS];
        RdbWriter block = new RdbWriter(BLOCK + BLOCK / 255 + 16);
        for (int pos = off; pos < off + len; pos += BLOCK) {
            int n = Math.min(BLOCK, off + len - pos);
            block.reset();
            compressBlock(data, pos, n, linkedBlocks ? Math.max(off, pos - BLOCK) : pos, table, block);
            if (block.size() >= n) {
                w.u32le(0x80000000L | n).bytes(data, pos, n);
            } else {
                w.u32le(block.size()).bytes(block.buffer(), 0, block.size());
            }
        }
        w.u32le(0);
        return w.toByteArray();
    }

    /** Greedy LZ4 block compression of {@code src[pos, pos+n)}; matches may start at {@code windowStart}. */
    static void compressBlock(byte[] src, int pos, int n, int windowStart, int[] table, RdbWriter out) {
        Arrays.fill(table, -1);
        int end = pos + n;
        for (int j = windowStart; j + 4 <= pos; j++) {
            table[hash(src, j)] = j;
        }
        int anchor = pos;
        int i = pos;
        int matchLimit = end - LAST_LITERALS;
        while (i < end - MF_LIMIT) {
            int h = hash(src, i);
            int ref = table[h];
            table[h] = i;
            if (ref >= windowStart && i - ref <= MAX_OFFSET && read32(src, ref) == read32(src, i)) {
                int len = 4;
                while (i + len < matchLimit && src[ref + len] == src[i + len]) {
                    len++;
                }
                sequence(out, src, anchor, i - anchor, i - ref, len);
                i += len;
                anchor = i;
                if (i - 2 >= pos && i + 2 < end) {
                    table[hash(src, i - 2)] = i - 2;
                }
            } else {
                i++;
            }
        }
        lastLiterals(out, src, anchor, end - anchor);
    }

    private static void sequence(RdbWriter out, byte[] src, int litStart, int litLen, int offset, int matchLen) {
        int ml = matchLen - 4;
        out.u8((Math.min(litLen, 15) << 4) | Math.min(ml, 15));
        extraLength(out, litLen);
        out.bytes(src, litStart, litLen);
        out.u16le(offset);
        extraLength(out, ml);
    }

    private static void lastLiterals(RdbWriter out, byte[] src, int litStart, int litLen) {
        out.u8(Math.min(litLen, 15) << 4);
        extraLength(out, litLen);
        out.bytes(src, litStart, litLen);
    }

    private static void extraLength(RdbWriter out, int len) {
        if (len < 15) {
            return;
        }
        int rest = len - 15;
        while (rest >= 255) {
            out.u8(255);
            rest -= 255;
        }
        out.u8(rest);
    }

    private static int read32(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }

    private static int hash(byte[] b, int i) {
        return (read32(b, i) * -1640531535) >>> (32 - HASH_BITS);
    }
}
