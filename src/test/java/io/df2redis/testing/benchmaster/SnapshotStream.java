package io.df2redis.testing.benchmaster;

import io.df2redis.translate.DragonflySharding;
import io.df2redis.dragonfly.encode.FlowStreamWriter;
import io.df2redis.dragonfly.encode.ValueEncoder;
import java.util.function.BooleanSupplier;

/**
 * One flow's full-sync stream of the benchmark dataset, produced lazily with the main-code encoder
 * ({@link FlowStreamWriter}): header and AUX, then every key of this flow's shard in index order as a
 * string entry in db 0 (the value of its generation at the snapshot cut), gathered into flushes that
 * become LZ4 blobs (native LZ4 through {@link NativeLz4Blobs}, or the encoder's own), or stay raw
 * with compression off, then FULLSYNC_END. The stable cut is written
 * separately ({@link #stableCut}) once the master is told to start stable sync.
 */
final class SnapshotStream {
    private final BenchData data;
    private final int flow;
    private final int flows;
    private final long writesAtCut;
    private final FlowStreamWriter writer;
    private final NativeLz4Blobs nativeBlobs;
    private final ValueEncoder encoder = new ValueEncoder();
    private long entries;
    private long wireBytes;

    SnapshotStream(BenchMasterConfig cfg, int flow, long writesAtCut, java.util.function.Consumer<byte[]> out) {
        this.data = cfg.data();
        this.flow = flow;
        this.flows = cfg.flows();
        this.writesAtCut = writesAtCut;
        java.util.function.Consumer<byte[]> counted = b -> {
            wireBytes += b.length;
            out.accept(b);
        };
        this.nativeBlobs = cfg.usesNativeLz4() ? new NativeLz4Blobs(counted) : null;
        this.writer = new FlowStreamWriter(cfg.streamOptions(), nativeBlobs != null ? nativeBlobs : counted);
    }

    /** REDIS0009 and the AUX fields a v1.40 master writes on this flow. */
    void header(String version) {
        java.util.List<String[]> aux = new java.util.ArrayList<>();
        aux.add(new String[] {"redis-ver", "6.2.11"});
        aux.add(new String[] {"df-ver", version});
        aux.add(new String[] {"redis-bits", "64"});
        aux.add(new String[] {"ctime", Long.toString(System.currentTimeMillis() / 1000)});
        aux.add(new String[] {"used-mem", Long.toString(data.keys() * (data.valueBytes() + 64))});
        aux.add(new String[] {"aof-preamble", "0"});
        if (flow == 0) {
            aux.add(new String[] {"shard-count", Integer.toString(flows)});
            aux.add(new String[] {"table-mem", Long.toString(data.keys() * 16)});
        }
        aux.add(new String[] {"shard-id", Integer.toString(flow)});
        writer.header(aux.toArray(new String[0][]));
    }

    /**
     * Every key of this flow's shard, then FULLSYNC_END. Returns false if {@code cancelled} became
     * true on the way (nothing more is written then).
     */
    boolean body(BooleanSupplier cancelled, Runnable beforeFullSyncEnd) {
        byte[] key = new byte[BenchData.keyLength()];
        byte[] value = new byte[data.valueBytes()];
        for (long i = 0; i < data.keys(); i++) {
            BenchData.keyInto(i, key);
            if (DragonflySharding.DEFAULT.shard(key, flows) != flow) {
                continue;
            }
            data.valueInto(i, data.generationAfter(i, writesAtCut), value);
            writer.entry(0, key, encoder.string(value), -1, 0, 0);
            entries++;
            if ((entries & 1023) == 0 && cancelled.getAsBoolean()) {
                return false;
            }
        }
        beforeFullSyncEnd.run();
        writer.fullSyncEnd();
        return true;
    }

    /** JOURNAL_OFFSET, EOF, token. */
    void stableCut(long journalOffset, String token) {
        writer.stableCut(journalOffset, token);
    }

    long entries() {
        return entries;
    }

    /** Bytes on the wire so far. */
    long wireBytes() {
        return wireBytes;
    }

    int compressedBlobs() {
        return nativeBlobs != null ? nativeBlobs.blobs() : writer.compressedBlobs();
    }
}
