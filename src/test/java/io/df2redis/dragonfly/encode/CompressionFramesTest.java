package io.df2redis.dragonfly.encode;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayInputStream;
import java.util.Random;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.junit.jupiter.api.Test;

class CompressionFramesTest {
    /** Compressible but not trivial: words from a small vocabulary. */
    static byte[] text(int n, long seed) {
        String[] words = {"alpha", "beta", "gamma", "delta", "key:", "value-", "0123", "dragonfly", "\u0000\u0001"};
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(n);
        while (sb.length() < n) {
            sb.append(words[r.nextInt(words.length)]).append(r.nextInt(1000));
        }
        return sb.substring(0, n).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Test
    void lz4FramesWithLinkedBlocksDecodeAndCarryTheirContentSize() throws Exception {
        for (int n : new int[] {300, 65536, 65537, 200_000}) {
            byte[] data = text(n, n);
            byte[] frame = Lz4Frame.compress(data, true);
            assertThat(frame.length).isLessThan(n);
            int flg = frame[4] & 0xff;
            assertThat(flg & 0x08).as("content size flag").isEqualTo(0x08);
            assertThat((flg & 0x20) != 0).as("block independence for %d bytes", n).isEqualTo(n <= 65536);
            long size = 0;
            for (int i = 0; i < 8; i++) {
                size |= (frame[6 + i] & 0xffL) << (8 * i);
            }
            assertThat(size).isEqualTo(n);
            try (FramedLZ4CompressorInputStream in = new FramedLZ4CompressorInputStream(new ByteArrayInputStream(frame))) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
        }
    }

    @Test
    void linkedBlocksReallyReferToThePreviousBlock() throws Exception {
        // The second block repeats the 32 KiB before it: with linked blocks it shrinks to almost nothing.
        byte[] data = new byte[65536 + 32768];
        System.arraycopy(text(65536, 3), 0, data, 0, 65536);
        System.arraycopy(data, 32768, data, 65536, 32768);
        byte[] linked = Lz4Frame.compress(data, true);
        byte[] independent = Lz4Frame.compress(data, false);
        assertThat(linked.length).isLessThan(independent.length - 5_000);
        try (FramedLZ4CompressorInputStream in = new FramedLZ4CompressorInputStream(new ByteArrayInputStream(linked))) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void zstdFramesDecodeAndCarryTheirContentSize() {
        byte[] data = text(100_000, 9);
        byte[] frame = ZstdFrame.compress(data, 0, data.length);
        assertThat(frame.length).isLessThan(data.length);
        assertThat(ZstdDecompressor.getDecompressedSize(frame, 0, frame.length)).isEqualTo(data.length);
        byte[] out = new byte[data.length];
        int n = new ZstdDecompressor().decompress(frame, 0, frame.length, out, 0, out.length);
        assertThat(n).isEqualTo(data.length);
        assertThat(out).isEqualTo(data);
    }
}
