package io.df2redis.testing.benchmaster;

import io.df2redis.dragonfly.encode.FlowStreamWriter;
import io.df2redis.dragonfly.encode.RdbWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Turns the flushes of a {@link FlowStreamWriter} set to compression NONE into LZ4 blobs with the
 * native LZ4 (lz4-java's JNI binding of liblz4, as the master's {@code LZ4F_compressFrame} at its
 * default level): one frame per flush, 64 KiB blocks, content size, no checksums, under the master's
 * rule (only flushes of 256 B … 1 MiB, only when it saves ≥ 5 %). Header and EOF records are below
 * 256 B and pass through raw, as a master writes them. Frames are independent-block only, which is
 * what a master writes for flushes up to 64 KiB; bigger flushes need the main-code encoder
 * ({@code Lz4Frame}, linked blocks). It exists because that encoder's pure-Java matcher costs the
 * benchmark master about three times the CPU, which it would take from the job it measures.
 */
final class NativeLz4Blobs implements Consumer<byte[]> {
    static final int MAX_INPUT = 64 * 1024;
    private static final int MIN_COMPRESS = 256;
    private static final LZ4Compressor LZ4 = LZ4Factory.fastestInstance().fastCompressor();
    private static final XXHash32 XXH32 = XXHashFactory.fastestInstance().hash32();

    private final Consumer<byte[]> out;
    private int blobs;

    NativeLz4Blobs(Consumer<byte[]> out) {
        this.out = out;
    }

    @Override
    public void accept(byte[] flush) {
        if (flush.length < MIN_COMPRESS) {
            out.accept(flush);
            return;
        }
        if (flush.length > MAX_INPUT) {
            throw new IllegalStateException("a flush of " + flush.length + " B would need linked LZ4 blocks: use the Java encoder");
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream(flush.length / 2 + 32);
        try (LZ4FrameOutputStream f = new LZ4FrameOutputStream(frame, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB, flush.length,
                LZ4, XXH32, LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE, LZ4FrameOutputStream.FLG.Bits.CONTENT_SIZE)) {
            f.write(flush);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (frame.size() > flush.length * 0.95) {
            out.accept(flush);
            return;
        }
        RdbWriter blob = new RdbWriter(frame.size() + 8).u8(FlowStreamWriter.OP_LZ4_BLOB).length(frame.size());
        blob.bytes(frame.toByteArray());
        out.accept(blob.toByteArray());
        blobs++;
    }

    int blobs() {
        return blobs;
    }
}
