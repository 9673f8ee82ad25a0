package io.df2redis.dragonfly.stream;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.zstd.ZstdDecompressor;
import io.df2redis.dragonfly.rdb.RdbBytes;
import io.df2redis.dragonfly.rdb.RdbFormatException;
import java.io.IOException;
import java.io.InputStream;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;
import java.util.Arrays;
import org.apache.commons.compress.compressors.lz4.BlockLZ4CompressorInputStream;

/**
 * Decompresses Dragonfly's compressed blobs: one LZ4 frame (0xCA) or one ZSTD frame (0xC9), with
 * the content size present in the frame header (Dragonfly always writes it).
 *
 * <p>LZ4: the frame header (with its checksum) is read here; a frame whose blocks cannot refer to
 * earlier blocks (one block, or the independent-blocks flag) is decompressed block by block with
 * lz4-java's block decompressor (fast). Frames of more than one 64 KiB block have linked blocks
 * (a block may refer to the previous 64 KiB of output), which lz4-java cannot decompress: their
 * second and later blocks go through Commons Compress' block reader primed with the previous
 * output, which is correct but reads its input byte by byte (see benchmarks/README.md).
 */
final class BlobDecompressor {
    private static final int LZ4_MAGIC = 0x184D2204;
    private static final LZ4SafeDecompressor LZ4 = LZ4Factory.fastestInstance().safeDecompressor();
    private static final XXHash32 XXH32 = XXHashFactory.fastestInstance().hash32();
    private final ZstdDecompressor zstd = new ZstdDecompressor();

    byte[] lz4(byte[] a, int off, int len, int max) throws RdbFormatException {
        if (len < 7 || RdbBytes.u32le(a, off) != LZ4_MAGIC) {
            throw new RdbFormatException("an LZ4 frame (magic 04 22 4d 18)", 0);
        }
        int flg = a[off + 4] & 0xff;
        if ((flg & 0xc0) != 0x40 || (flg & 0x02) != 0) {
            throw new RdbFormatException("LZ4 frame version 01 and reserved bit 0 (FLG 0x" + Integer.toHexString(flg) + ")", 4);
        }
        if ((flg & 0x08) == 0) {
            throw new RdbFormatException("an LZ4 frame with its content size", 4);
        }
        if ((flg & 0x01) != 0) {
            throw new RdbFormatException("an LZ4 frame without a dictionary id", 4);
        }
        int headerEnd = 4 + 2 + 8 + 1;
        if (len < headerEnd + 4) {
            throw new RdbFormatException("a complete LZ4 frame header", 0);
        }
        int hc = (XXH32.hash(a, off + 4, 2 + 8, 0) >> 8) & 0xff;
        if (hc != (a[off + headerEnd - 1] & 0xff)) {
            throw new RdbFormatException("the LZ4 frame header checksum", headerEnd - 1);
        }
        long size = RdbBytes.i64le(a, off + 6);
        if (size < 0 || size > max) {
            throw new RdbFormatException("an LZ4 content size ≤ " + max + " (got " + Long.toUnsignedString(size) + ")", 6);
        }
        boolean independent = (flg & 0x20) != 0;
        boolean blockChecksum = (flg & 0x10) != 0;
        boolean contentChecksum = (flg & 0x04) != 0;
        boolean linked = !independent && blockCount(a, off, len, headerEnd, blockChecksum) > 1;
        byte[] out = new byte[(int) size];
        int p = off + headerEnd;
        int end = off + len;
        int o = 0;
        while (true) {
            if (p + 4 > end) {
                throw new RdbFormatException("an LZ4 block header", p - off);
            }
            int bs = RdbBytes.u32le(a, p);
            p += 4;
            if (bs == 0) {
                break;
            }
            boolean raw = bs < 0;
            int n = bs & 0x7fffffff;
            if (n > end - p || n > 4 << 20) {
                throw new RdbFormatException("an LZ4 block inside the frame (size " + n + ")", p - 4 - off);
            }
            if (blockChecksum) {
                if (p + n + 4 > end || XXH32.hash(a, p, n, 0) != RdbBytes.u32le(a, p + n)) {
                    throw new RdbFormatException("the LZ4 block checksum", p + n - off);
                }
            }
            if (raw) {
                if (n > out.length - o) {
                    throw new RdbFormatException("LZ4 data of the declared " + size + " bytes (more)", p - off);
                }
                System.arraycopy(a, p, out, o, n);
                o += n;
            } else if (linked && o > 0) {
                o += linkedBlock(a, p, n, out, o, off);
            } else {
                try {
                    o += LZ4.decompress(a, p, n, out, o, out.length - o);
                } catch (LZ4Exception e) {
                    throw new RdbFormatException("a valid LZ4 block (" + e.getMessage() + ")", p - off, e);
                }
            }
            p += n + (blockChecksum ? 4 : 0);
        }
        if (contentChecksum) {
            if (p + 4 > end || XXH32.hash(out, 0, o, 0) != RdbBytes.u32le(a, p)) {
                throw new RdbFormatException("the LZ4 content checksum", p - off);
            }
            p += 4;
        }
        if (o != size) {
            throw new RdbFormatException("LZ4 data of the declared " + size + " bytes (got " + o + ")", p - off);
        }
        if (p != end) {
            throw new RdbFormatException("the LZ4 frame to end the blob (" + (end - p) + " bytes more)", p - off);
        }
        return out;
    }

    /** Number of blocks of a frame (scans the block headers only); stops early after 2. */
    private static int blockCount(byte[] a, int off, int len, int headerEnd, boolean blockChecksum) {
        int p = off + headerEnd;
        int end = off + len;
        int blocks = 0;
        while (p + 4 <= end && blocks < 2) {
            int bs = RdbBytes.u32le(a, p);
            if (bs == 0) {
                break;
            }
            blocks++;
            p += 4 + (bs & 0x7fffffff) + (blockChecksum ? 4 : 0);
            if (p < 0) {
                break;
            }
        }
        return blocks;
    }

    /**
     * A block that may refer to up to 64 KiB of the output before it: Commons Compress' block reader,
     * primed with that output as its window ({@code prefill}).
     */
    private static int linkedBlock(byte[] a, int p, int n, byte[] out, int o, int frameOff) throws RdbFormatException {
        int dict = Math.min(o, 64 * 1024);
        try (BlockLZ4CompressorInputStream in = new BlockLZ4CompressorInputStream(new SliceInputStream(a, p, n))) {
            in.prefill(Arrays.copyOfRange(out, o - dict, o));
            int got = in.readNBytes(out, o, out.length - o);
            if (in.read() != -1) {
                throw new RdbFormatException("LZ4 data within the declared content size", p - frameOff);
            }
            return got;
        } catch (IOException | RuntimeException e) {
            if (e instanceof RdbFormatException r) {
                throw r;
            }
            throw new RdbFormatException("a valid LZ4 block (" + e.getMessage() + ")", p - frameOff, e);
        }
    }

    /** An unsynchronized view of an array slice (ByteArrayInputStream locks on every byte). */
    private static final class SliceInputStream extends InputStream {
        private final byte[] a;
        private int p;
        private final int end;

        SliceInputStream(byte[] a, int off, int len) {
            this.a = a;
            this.p = off;
            this.end = off + len;
        }

        @Override
        public int read() {
            return p < end ? a[p++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (p >= end) {
                return -1;
            }
            int n = Math.min(len, end - p);
            System.arraycopy(a, p, b, off, n);
            p += n;
            return n;
        }

        @Override
        public int available() {
            return end - p;
        }
    }

    byte[] zstd(byte[] a, int off, int len, int max) throws RdbFormatException {
        long size;
        try {
            size = ZstdDecompressor.getDecompressedSize(a, off, len);
        } catch (MalformedInputException | IndexOutOfBoundsException e) {
            throw new RdbFormatException("a ZSTD frame header (" + e.getMessage() + ")", 0, e);
        }
        if (size < 0 || size > max) {
            throw new RdbFormatException("a ZSTD frame with a content size ≤ " + max + " (got " + size + ")", 0);
        }
        byte[] out = new byte[(int) size];
        try {
            int n = zstd.decompress(a, off, len, out, 0, out.length);
            if (n != size) {
                throw new RdbFormatException("ZSTD data of the declared " + size + " bytes (got " + n + ")", 0);
            }
        } catch (MalformedInputException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new RdbFormatException("a valid ZSTD frame (" + e.getMessage() + ")", 0, e);
        }
        return out;
    }
}
