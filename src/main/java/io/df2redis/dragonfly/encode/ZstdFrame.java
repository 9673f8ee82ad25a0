package io.df2redis.dragonfly.encode;

import io.airlift.compress.zstd.ZstdCompressor;
import java.util.Arrays;

/** One zstd frame with the content size in its header, like {@code ZSTD_compressCCtx}. */
public final class ZstdFrame {
    private ZstdFrame() {}

    public static byte[] compress(byte[] data, int off, int len) {
        ZstdCompressor c = new ZstdCompressor();
        byte[] out = new byte[c.maxCompressedLength(len)];
        int n = c.compress(data, off, len, out, 0, out.length);
        return Arrays.copyOf(out, n);
    }
}
