package io.df2redis.testing.benchmaster;

import io.df2redis.translate.DragonflySharding;
import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.dragonfly.encode.FlowStreamWriter.Compression;
import io.df2redis.dragonfly.event.DecodedValue;
import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.dragonfly.rdb.ValueDecoder;
import io.df2redis.dragonfly.stream.FlowStreamParser;
import io.df2redis.dragonfly.stream.ParserConfig;
import io.df2redis.resp.RespReply;
import io.df2redis.testing.dfsim.RawConn;
import io.df2redis.testing.recordings.Bytes;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The benchmark master against the real stream parser: a client does the replica's handshake, parses
 * every flow with {@link FlowStreamParser}, starts stable sync, ACKs what it parsed, and ends with
 * exactly the generator's keys and values (after the stable writes), each key on its Dragonfly
 * shard's flow, LSNs contiguous from the stable cut, and the master's lag figures at 0.
 */
class BenchMasterTest {

    @ParameterizedTest(name = "{0} flows, {1}, native LZ4 {2}")
    @CsvSource({"3, LZ4, true", "2, LZ4, false", "2, NONE, true"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void replicaParsesExactlyTheGeneratedDatasetAndStableWrites(int flows, Compression compression, boolean nativeLz4)
            throws Exception {
        int keys = 5000;
        BenchMasterConfig cfg = BenchMasterConfig.defaults().withKeys(keys).withFlows(flows).withCompression(compression)
                .withNativeLz4(nativeLz4)
                .withPhases(Duration.ofMillis(200), List.of(new BenchMasterConfig.Phase(8000, Duration.ofMillis(1500))),
                        Duration.ofMillis(200));
        BenchData data = cfg.data();
        try (BenchMaster master = BenchMaster.start(cfg); RawConn main = new RawConn(master.port())) {
            List<RespReply> capa = main.call("REPLCONF", "capa", "dragonfly").asArray();
            String masterId = capa.get(0).asText();
            String syncId = capa.get(1).asText();
            assertThat(capa.get(2).asLong()).isEqualTo(flows);
            List<RawConn> conns = new ArrayList<>();
            List<List<FlowEvent>> events = new ArrayList<>();
            List<Thread> readers = new ArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<RespReply> off;
            try {
                for (int i = 0; i < flows; i++) {
                    RawConn f = new RawConn(master.port());
                    conns.add(f);
                    List<RespReply> reply = f.call("DFLY", "FLOW", masterId, syncId, Integer.toString(i)).asArray();
                    assertThat(reply.get(0).asText()).isEqualTo("FULL");
                    List<FlowEvent> ev = new CopyOnWriteArrayList<>();
                    events.add(ev);
                    FlowStreamParser parser = FlowStreamParser.fullSync(i, reply.get(1).asText(), ParserConfig.defaults(), ev::add);
                    f.socket().setSoTimeout(0);
                    InputStream in = f.socket().getInputStream();
                    Thread t = new Thread(() -> {
                        byte[] buf = new byte[7919]; // odd-sized pieces
                        try {
                            int n;
                            while ((n = in.read(buf)) >= 0) {
                                parser.feed(buf, 0, n);
                            }
                        } catch (java.net.SocketException closed) {
                            // the test closes the flows at the end
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    });
                    t.setDaemon(true);
                    readers.add(t);
                    t.start();
                }
                assertThat(main.call("DFLY", "SYNC", syncId).asText()).isEqualTo("OK");
                awaitTrue(() -> events.stream().allMatch(ev -> ev.stream().anyMatch(e -> e instanceof FlowEvent.StaticDataEnd)),
                        failures);
                assertThat(main.call("DFLY", "STARTSTABLE", syncId).asText()).isEqualTo("OK");

                // Stable sync: ACK what was parsed, as the job does, until the master reports the writes caught up.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                while (!"1".equals(master.stats().get("done"))) {
                    assertThat(System.nanoTime()).as("stable writes done and acknowledged").isLessThan(deadline);
                    assertThat(failures).isEmpty();
                    for (int i = 0; i < flows; i++) {
                        long next = nextLsn(events.get(i));
                        if (next >= 0) {
                            conns.get(i).send("REPLCONF", "ACK", Long.toString(next));
                        }
                    }
                    Thread.sleep(50);
                }
                // Before the flows close: closing one ends the session, main connection included.
                off = main.call("DFLY", "REPLICAOFFSET").asArray();
            } finally {
                for (RawConn c : conns) {
                    c.close();
                }
                for (Thread t : readers) {
                    t.join(5000);
                }
            }
            assertThat(failures).isEmpty();

            Map<String, String> stats = master.stats();
            long writes = Long.parseLong(stats.get("writes_total"));
            assertThat(writes).as("writes at 8000/s for 1.5 s").isBetween(6000L, 12000L);
            assertThat(Long.parseLong(stats.get("phase.1.lag_max"))).isGreaterThanOrEqualTo(0);
            assertThat(stats).containsKeys("phase.1.lag_median", "catchup_ms", "sync_ms", "fullsync_end_ms", "stable_ms");

            long[] offsets = new long[flows];
            Map<Bytes, byte[]> model = new HashMap<>();
            for (int i = 0; i < flows; i++) {
                offsets[i] = off.get(i).asLong();
                assertThat(nextLsn(events.get(i))).as("flow %d next LSN = DFLY REPLICAOFFSET", i).isEqualTo(offsets[i]);
                applyFlow(i, flows, events.get(i), model);
            }
            long blobs = Long.parseLong(stats.get("compressed_blobs"));
            long wire = Long.parseLong(stats.get("snapshot_bytes"));
            if (compression == Compression.LZ4) {
                // 5000 entries of ~117 B in flushes of 8 KiB: ~70 blobs, about 3 times smaller than raw
                assertThat(blobs).isBetween(50L, 100L);
                assertThat(wire).isLessThan(keys * 117L / 2);
            } else {
                assertThat(blobs).isZero();
                assertThat(wire).isGreaterThan(keys * 117L);
            }
            assertThat(model).hasSize(keys);
            for (long k = 0; k < keys; k++) {
                byte[] v = model.get(Bytes.of(BenchData.key(k)));
                assertThat(v).as("key %d", k).isNotNull();
                assertThat(new String(v, StandardCharsets.US_ASCII)).as("key %d", k)
                        .isEqualTo(new String(data.value(k, data.generationAfter(k, writes)), StandardCharsets.US_ASCII));
            }
            assertThat(master.sim().violations()).isEmpty();
        }
    }

    @Test
    void generationAfterMatchesWritesAppliedOneByOne() {
        BenchData data = new BenchData(7, 100, 3);
        long[] gen = new long[7];
        for (long w = 0; w <= 30; w++) {
            for (long k = 0; k < 7; k++) {
                assertThat(data.generationAfter(k, w)).as("key %d after %d writes", k, w).isEqualTo(gen[(int) k]);
            }
            if (w < 30) {
                gen[(int) data.keyOfWrite(w)] = data.generationOfWrite(w);
            }
        }
        assertThat(data.value(3, 1)).hasSize(100).isNotEqualTo(data.value(3, 2)).isNotEqualTo(data.value(4, 1));
        assertThat(new String(BenchData.key(42), StandardCharsets.US_ASCII)).isEqualTo("key:0000000042");
        assertThat(new BenchData(7, 5, 3).value(123456, 7)).containsExactly("12345".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void visibilityProbeFindsTheNewestVisibleWrite() {
        for (long applied : new long[] {0, 1, 57, 999, 1000}) {
            long expected = 1000 - applied;
            assertThat(VisibilityProbe.invisibleWrites(1000, 5000, j -> j < applied)).as("%d of 1000 applied", applied)
                    .isEqualTo(expected);
        }
        assertThat(VisibilityProbe.invisibleWrites(1000, 100, j -> j < 500)).as("beyond the window").isEqualTo(100);
        assertThat(VisibilityProbe.invisibleWrites(0, 100, j -> false)).isZero();
        assertThat(VisibilityProbe.generation(new BenchData(10, 100, 1).value(7, 42))).isEqualTo(42);
    }

    /** Snapshot entries then stable SETs in stream order; every key must belong to this flow's shard. */
    private static void applyFlow(int flow, int flows, List<FlowEvent> events, Map<Bytes, byte[]> model) throws Exception {
        long expectLsn = -1;
        for (FlowEvent e : events) {
            if (e instanceof FlowEvent.SnapshotObject o) {
                assertThat(DragonflySharding.DEFAULT.shard(o.key(), flows)).isEqualTo(flow);
                assertThat(o.db()).isZero();
                assertThat(o.expireAtMs()).isEqualTo(-1);
                DecodedValue v = ValueDecoder.decode(o.value());
                assertThat(model.put(Bytes.of(o.key()), ((DecodedValue.StringValue) v).bytes())).as("key sent twice").isNull();
            } else if (e instanceof FlowEvent.StableCut c) {
                expectLsn = c.journalOffset();
            } else if (e instanceof FlowEvent.JournalCommand j) {
                assertThat(j.lsn()).as("journal LSNs contiguous from the stable cut").isEqualTo(expectLsn++);
                assertThat(new String(j.args().get(0), StandardCharsets.US_ASCII)).isEqualTo("SET");
                assertThat(DragonflySharding.DEFAULT.shard(j.args().get(1), flows)).isEqualTo(flow);
                model.put(Bytes.of(j.args().get(1)), j.args().get(2));
            } else if (!(e instanceof FlowEvent.AuxField || e instanceof FlowEvent.StaticDataEnd)) {
                throw new AssertionError("unexpected event " + e);
            }
        }
    }

    /** The LSN the client needs next on this flow; -1 before its stable cut was parsed. */
    private static long nextLsn(List<FlowEvent> events) {
        long next = -1;
        for (FlowEvent e : events) {
            if (e instanceof FlowEvent.StableCut c) {
                next = c.journalOffset();
            } else if (e instanceof FlowEvent.JournalCommand) {
                next++;
            }
        }
        return next;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, List<Throwable> failures) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(failures).isEmpty();
            assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
