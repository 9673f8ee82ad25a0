package io.df2redis.dragonfly.encode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import net.jpountz.xxhash.XXHashFactory;
import org.apache.commons.compress.compressors.lz4.BlockLZ4CompressorOutputStream;

/**
 * Writes one LZ4 frame the way {@code LZ4F_compressFrame} does with Dragonfly's preferences: 64 KiB
 * blocks, content size in the header, no checksums, and linked blocks (each block may refer back
 * into the previous 64 KiB) unless asked for independent ones. lz4-java's frame reader rejects
 * linked blocks, so streams made with them prove a parser can read what a real master sends.
 */
public final class Lz4Frame {
    private static final int MAGIC = 0x184D2204;
    private static final int BLOCK = 64 * 1024;

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
        RdbWriter desc = new RdbWriter(10).u8(flg).u8(bd).u64le(len);
        byte[] d = desc.toByteArray();
        int hc = (XXHashFactory.fastestJavaInstance().hash32().hash(d, 0, d.length, 0) >>> 8) & 0xFF;
        w.bytes(d).u8(hc);
        for (int pos = off; pos < off + len; pos += BLOCK) {
            int n = Math.min(BLOCK, off + len - pos);
            byte[] c = compressBlock(data, pos, n, linkedBlocks ? Math.max(off, pos - BLOCK) : pos);
            if (c.length >= n) {
                w.u32le(0x80000000L | n).bytes(data, pos, n);
            } else {
                w.u32le(c.length).bytes(c);
            }
        }
        w.u32le(0);
        return w.toByteArray();
    }

    private static byte[] compressBlock(byte[] data, int pos, int n, int windowStart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n / 2 + 16);
        try (BlockLZ4CompressorOutputStream lz = new BlockLZ4CompressorOutputStream(out)) {
            if (windowStart < pos) {
                lz.prefill(data, windowStart, pos - windowStart);
            }
            lz.write(data, pos, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
