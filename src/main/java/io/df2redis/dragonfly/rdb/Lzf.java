package io.df2redis.dragonfly.rdb;

import com.ning.compress.lzf.ChunkDecoder;
import com.ning.compress.lzf.LZFException;
import com.ning.compress.lzf.util.ChunkDecoderFactory;

/** Raw LZF (liblzf, no header) as used by RDB_ENC_LZF strings. */
public final class Lzf {
    // The safe decoder bounds-checks every copy: corrupt input must fail, not read or write outside.
    private static final ChunkDecoder DECODER = ChunkDecoderFactory.safeInstance();

    private Lzf() {}

    /** Decompresses {@code in[off, off+len)} into exactly {@code uncompressedLength} bytes. */
    public static byte[] decompress(byte[] in, int off, int len, int uncompressedLength, long errorOffset)
            throws RdbFormatException {
        byte[] out = new byte[uncompressedLength];
        // The decoder stops when the output is full, not at the input's end: give it exactly the
        // compressed bytes so corrupt data cannot read into whatever follows.
        byte[] src = off == 0 && len == in.length ? in : java.util.Arrays.copyOfRange(in, off, off + len);
        try {
            DECODER.decodeChunk(src, 0, out, 0, uncompressedLength);
        } catch (LZFException | RuntimeException e) {
            throw new RdbFormatException("valid LZF data of " + uncompressedLength + " bytes (" + e.getMessage() + ")",
                    errorOffset, e);
        }
        return out;
    }
}
