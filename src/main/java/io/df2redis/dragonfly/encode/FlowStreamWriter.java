package io.df2redis.dragonfly.encode;

import io.df2redis.dragonfly.event.RdbValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * Writes a flow's full-sync stream as a Dragonfly master does (protocol doc §5): header and AUX
 * uncompressed; a body of SELECTDB, key entries and JOURNAL_BLOBs gathered into flushes, each flush
 * one LZ4 or ZSTD blob when compression pays; entries longer than the chunk size split into
 * TAGGED_CHUNK records whose continuations interleave with later items (v1.40), or, in legacy mode,
 * written contiguously and uncompressed; FULLSYNC_END; JOURNAL_OFFSET; EOF, zero checksum, token.
 * Wire bytes go to {@code out} as they are produced. Not thread-safe.
 */
public final class FlowStreamWriter {
    public static final int OP_FULLSYNC_END = 0xC8;
    public static final int OP_ZSTD_BLOB = 0xC9;
    public static final int OP_LZ4_BLOB = 0xCA;
    public static final int OP_JOURNAL_BLOB = 0xD2;
    public static final int OP_JOURNAL_OFFSET = 0xD3;
    public static final int OP_DF_MASK = 0xDC;
    public static final int OP_TAGGED_CHUNK = 0xE0;
    public static final int OP_AUX = 0xFA;
    public static final int OP_EXPIRETIME_MS = 0xFC;
    public static final int OP_SELECTDB = 0xFE;
    public static final int OP_EOF = 0xFF;

    public enum Compression { NONE, LZ4, ZSTD }

    /**
     * @param flushBytes a flush happens once this many bytes are gathered
     * @param maxChunkBytes entries longer than this are split ({@code --serialization_max_chunk_size})
     * @param taggedChunks v1.40 tagged chunks; false = legacy contiguous big entries
     * @param linkedLz4 LZ4 frames with linked blocks, as {@code LZ4F_compressFrame} writes them
     */
    public record Options(Compression compression, int flushBytes, int maxChunkBytes, boolean taggedChunks, boolean linkedLz4) {
        public static Options defaults() {
            return new Options(Compression.LZ4, 16 * 1024, 64 * 1024, true, true);
        }

        public Options withCompression(Compression c) {
            return new Options(c, flushBytes, maxChunkBytes, taggedChunks, linkedLz4);
        }

        public Options withChunks(int maxChunk, boolean tagged) {
            return new Options(compression, flushBytes, maxChunk, tagged, linkedLz4);
        }
    }

    private static final int MIN_COMPRESS = 256;
    private static final int MAX_COMPRESS = 1 << 20;

    private final Options options;
    private final Consumer<byte[]> out;
    private final RdbWriter pending = new RdbWriter(32 * 1024);
    private final ArrayDeque<OpenEntry> open = new ArrayDeque<>();
    private int currentDb = -1;
    private int nextStreamId = 1;
    private long bytesWritten;
    private int blobs;
    private int taggedChunksWritten;

    private static final class OpenEntry {
        final int streamId;
        final byte[] key;
        final byte[] bytes;
        int pos;

        OpenEntry(int streamId, byte[] key, byte[] bytes, int pos) {
            this.streamId = streamId;
            this.key = key;
            this.bytes = bytes;
            this.pos = pos;
        }
    }

    public FlowStreamWriter(Options options, Consumer<byte[]> out) {
        this.options = options;
        this.out = out;
    }

    /** {@code REDIS0009} and the AUX fields, uncompressed, written at once. */
    public void header(String[][] aux) {
        RdbWriter w = new RdbWriter(256).ascii("REDIS0009");
        for (String[] kv : aux) {
            w.u8(OP_AUX).string(kv[0]).string(kv[1]);
        }
        emit(w.toByteArray());
    }

    /**
     * A key entry: {@code [FC expire] [DC mask [mc_flags]] type key value}. Before it, one pending
     * continuation chunk of an earlier split entry is written (interleaving).
     *
     * @param expireAtMs absolute Unix ms, or -1
     */
    public void entry(int db, byte[] key, RdbValue value, long expireAtMs, int dfMask, long mcFlags) {
        continueOne();
        RdbWriter e = new RdbWriter(value.size() + key.length + 32);
        if (expireAtMs >= 0) {
            e.u8(OP_EXPIRETIME_MS).u64le(expireAtMs);
        }
        if (dfMask != 0) {
            e.u8(OP_DF_MASK).u32le(dfMask);
            if ((dfMask & 2) != 0) {
                e.u32le(mcFlags);
            }
        }
        e.u8(DragonflyTypes.typeByte(value.type())).string(key).bytes(value.encoded());
        byte[] bytes = e.toByteArray();
        selectDb(db);
        if (bytes.length <= options.maxChunkBytes()) {
            pending.bytes(bytes);
            maybeFlush();
        } else if (options.taggedChunks()) {
            OpenEntry oe = new OpenEntry(nextStreamId(), key, bytes, 0);
            writeChunk(oe);
            open.addLast(oe);
        } else {
            // Legacy: nothing else may be written until the entry completes; mid-entry flushes are raw.
            flush();
            for (int pos = 0; pos < bytes.length; pos += options.maxChunkBytes()) {
                emit(Arrays.copyOfRange(bytes, pos, Math.min(bytes.length, pos + options.maxChunkBytes())));
            }
            currentDb = -1;
        }
    }

    /** A JOURNAL_BLOB with one serialized journal entry (SELECT + COMMAND). */
    public void journalBlob(byte[] journalEntry) {
        continueOne();
        pending.u8(OP_JOURNAL_BLOB).length(1).rawString(journalEntry);
        maybeFlush();
    }

    /** Writes every remaining chunk of {@code key}'s split entry (a journal entry for it may follow). */
    public void finishEntry(byte[] key) {
        for (Iterator<OpenEntry> it = open.iterator(); it.hasNext(); ) {
            OpenEntry oe = it.next();
            if (Arrays.equals(oe.key, key)) {
                while (oe.pos < oe.bytes.length) {
                    writeChunk(oe);
                }
                it.remove();
            }
        }
    }

    /** Writes every remaining chunk of every split entry. */
    public void finishAllEntries() {
        while (!open.isEmpty()) {
            OpenEntry oe = open.pollFirst();
            while (oe.pos < oe.bytes.length) {
                writeChunk(oe);
            }
        }
    }

    public boolean hasOpenEntries() {
        return !open.isEmpty();
    }

    /** FULLSYNC_END (after every split entry completed), flushed. */
    public void fullSyncEnd() {
        finishAllEntries();
        pending.u8(OP_FULLSYNC_END).u64le(0);
        flush();
    }

    /** JOURNAL_OFFSET, then EOF with a zero checksum and the token: the stable cut. */
    public void stableCut(long journalOffset, String token) {
        finishAllEntries();
        pending.u8(OP_JOURNAL_OFFSET).u64le(journalOffset);
        flush();
        RdbWriter w = new RdbWriter(64).u8(OP_EOF).u64le(0);
        w.bytes(token.getBytes(StandardCharsets.US_ASCII));
        emit(w.toByteArray());
    }

    /** Writes the gathered items: one compressed blob when that saves at least 5 %, else raw. */
    public void flush() {
        int n = pending.size();
        if (n == 0) {
            return;
        }
        byte[] raw = pending.buffer();
        byte[] frame = null;
        if (options.compression() != Compression.NONE && n >= MIN_COMPRESS && n <= MAX_COMPRESS) {
            frame = options.compression() == Compression.LZ4
                    ? Lz4Frame.compress(raw, 0, n, options.linkedLz4())
                    : ZstdFrame.compress(raw, 0, n);
            if (frame.length > n * 0.95) {
                frame = null;
            }
        }
        if (frame != null) {
            RdbWriter w = new RdbWriter(frame.length + 8);
            w.u8(options.compression() == Compression.LZ4 ? OP_LZ4_BLOB : OP_ZSTD_BLOB).rawString(frame);
            emit(w.toByteArray());
            blobs++;
        } else {
            emit(Arrays.copyOf(raw, n));
        }
        pending.reset();
        // The master's serializer forgets the current db at every flush.
        currentDb = -1;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    public int compressedBlobs() {
        return blobs;
    }

    public int taggedChunks() {
        return taggedChunksWritten;
    }

    private void continueOne() {
        OpenEntry oe = open.pollFirst();
        if (oe == null) {
            return;
        }
        writeChunk(oe);
        if (oe.pos < oe.bytes.length) {
            open.addLast(oe);
        }
    }

    /** One chunk of a split entry, alone in its flush (a chunk never spans a blob boundary). */
    private void writeChunk(OpenEntry oe) {
        int n = Math.min(options.maxChunkBytes(), oe.bytes.length - oe.pos);
        pending.u8(OP_TAGGED_CHUNK).u32le(oe.streamId).u32le(n).bytes(oe.bytes, oe.pos, n);
        oe.pos += n;
        taggedChunksWritten++;
        flush();
    }

    private void selectDb(int db) {
        if (db != currentDb) {
            pending.u8(OP_SELECTDB).length(db);
            currentDb = db;
        }
    }

    private void maybeFlush() {
        if (pending.size() >= options.flushBytes()) {
            flush();
        }
    }

    private int nextStreamId() {
        int id = nextStreamId;
        nextStreamId = nextStreamId == Integer.MAX_VALUE ? 1 : nextStreamId + 1;
        return id;
    }

    private void emit(byte[] b) {
        bytesWritten += b.length;
        out.accept(b);
    }
}
