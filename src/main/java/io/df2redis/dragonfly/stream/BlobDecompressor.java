package io.df2redis.dragonfly.stream;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.zstd.ZstdDecompressor;
import io.df2redis.dragonfly.rdb.RdbBytes;
import io.df2redis.dragonfly.rdb.RdbFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;

/**
 * Decompresses Dragonfly's compressed blobs: one LZ4 frame (0xCA) or one ZSTD frame (0xC9), with
 * the content size present in the frame header (Dragonfly always writes it). LZ4 frames of more
 * than one 64 KiB block have linked blocks (a block may refer to the previous one), which
 * lz4-java's frame reader rejects; Commons Compress' framed reader supports them.
 */
final class BlobDecompressor {
    private static final int LZ4_MAGIC = 0x184D2204;
    private final ZstdDecompressor zstd = new ZstdDecompressor();

    byte[] lz4(byte[] a, int off, int len, int max) throws RdbFormatException {
        if (len < 7 || RdbBytes.u32le(a, off) != LZ4_MAGIC) {
            throw new RdbFormatException("an LZ4 frame (magic 04 22 4d 18)", 0);
        }
        int flg = a[off + 4] & 0xff;
        if ((flg & 0x08) == 0) {
            throw new RdbFormatException("an LZ4 frame with its content size", 4);
        }
        if (len < 14) {
            throw new RdbFormatException("a complete LZ4 frame header", 0);
        }
        long size = RdbBytes.i64le(a, off + 6);
        if (size < 0 || size > max) {
            throw new RdbFormatException("an LZ4 content size ≤ " + max + " (got " + Long.toUnsignedString(size) + ")", 6);
        }
        byte[] out = new byte[(int) size];
        try (InputStream in = new FramedLZ4CompressorInputStream(new ByteArrayInputStream(a, off, len))) {
            int n = in.readNBytes(out, 0, out.length);
            if (n != size || in.read() != -1) {
                throw new RdbFormatException("LZ4 data of the declared " + size + " bytes (got "
                        + (n < size ? Integer.toString(n) : "more") + ")", 0);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof RdbFormatException r) {
                throw r;
            }
            throw new RdbFormatException("a valid LZ4 frame (" + e.getMessage() + ")", 0, e);
        }
        return out;
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
