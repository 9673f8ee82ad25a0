package io.df2redis.dragonfly.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.dragonfly.encode.FlowStreamWriter;
import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.dragonfly.flow.FlowConfig;
import io.df2redis.dragonfly.flow.FlowCounters;
import io.df2redis.dragonfly.flow.SpillLimitExceededException;
import io.df2redis.dragonfly.stream.StreamFormatException;
import io.df2redis.testing.dfsim.DfSim;
import io.df2redis.testing.dfsim.DfSimConfig;
import io.df2redis.testing.dfsim.EventModel;
import io.df2redis.testing.dfsim.GeneratedEngine;
import io.df2redis.testing.dfsim.SimDataset;
import io.df2redis.testing.dfsim.SimValue;
import io.df2redis.testing.dfsim.SimWorkload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole sessions through {@link ReplicationSession} against the generating simulator: the events
 * must rebuild the simulator's authoritative dataset, and the simulator must never have seen a
 * forbidden order.
 */
@Timeout(120)
class ReplicationSessionTest {
    @TempDir
    Path spill;

    private DfSim sim;
    private ReplicationSession session;

    @AfterEach
    void noForbiddenOrder() {
        if (session != null) {
            session.close();
        }
        if (sim != null) {
            assertThat(sim.violations()).as("forbidden orders sent to the simulator").isEmpty();
            assertThat(sim.crashed()).isFalse();
            sim.close();
        }
    }

    private ReplicationSession.Config config() {
        return ReplicationSession.Config.defaults()
                .withFlow(FlowConfig.defaults().withSpill(spill, 256L << 20, 4L << 20).withAckInterval(Duration.ofMillis(200)))
                .withRestartDelay(Duration.ofMillis(50))
                .withMaxEpochs(5);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void awaitCaughtUp(GeneratedEngine g) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long[] want = g.replicaOffsets();
        while (System.nanoTime() < end) {
            if (Arrays.equals(session.appliedLsn(), want)) {
                return;
            }
            assertThat(session.failure()).isNull();
            Thread.sleep(10);
        }
        assertThat(session.appliedLsn()).as("applied LSNs").containsExactly(want);
    }

    private static void assertSameData(SimDataset expected, EventModel model) {
        List<String> diff = expected.diff(model.dataset(), 10);
        assertThat(diff).as("differences between the master's data and the events").isEmpty();
    }

    @ParameterizedTest(name = "{0} flows")
    @ValueSource(ints = {1, 2, 4})
    void fullSessionReproducesTheMastersData(int flows) throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(flows)
                .withStream(FlowStreamWriter.Options.defaults().withChunks(32 * 1024, true)));
        GeneratedEngine g = sim.generated();
        Random r = new Random(flows);
        SimWorkload.seed(g, r);
        g.paceSnapshot(Duration.ofMillis(3));
        EventModel model = new EventModel();
        session = new ReplicationSession(sim.endpoint(), config(), model);

        // Writes keep coming while the snapshot streams (journal blobs) and after the stable cut.
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch some = new CountDownLatch(50);
        Thread writer = new Thread(() -> {
            int i = 0;
            while (!stop.get()) {
                SimWorkload.randomWrite(g, r, i++);
                some.countDown();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        session.start(null);
        writer.start();
        assertThat(session.awaitStable(Duration.ofSeconds(60))).isTrue();
        some.await();
        stop.set(true);
        writer.join();
        // Stable sync: more writes, a FLUSHALL on every flow, writes after it, a WAIT, an expiry.
        for (int i = 0; i < 200; i++) {
            SimWorkload.randomWrite(g, r, 10_000 + i);
        }
        awaitCaughtUp(g);
        assertSameData(g.dataset(), model);
        g.write(0, "FLUSHALL");
        for (int i = 0; i < 100; i++) {
            SimWorkload.randomWrite(g, r, 20_000 + i);
        }
        g.write(0, "SET", "short-lived", "x", "PX", "1");
        Thread.sleep(5);
        assertThat(g.expire(System.currentTimeMillis())).isEqualTo(1);
        g.ping();
        awaitCaughtUp(g);
        assertSameData(g.dataset(), model);

        assertThat(model.epochs).containsExactly("1:FULL");
        assertThat(model.journalInFullSync.get()).as("journal blobs applied during the full sync").isPositive();
        assertThat(model.objectParts.get() + model.snapshotObjects.get()).isPositive();
        assertThat(model.globalCommands.get()).as("FLUSHALL applied once").isEqualTo(1);
        assertThat(model.pings.get()).isEqualTo(flows);
        assertThat(g.taggedChunksWritten()).as("tagged chunks on the wire").isPositive();
        assertThat(g.compressedBlobsWritten()).as("LZ4 blobs on the wire").isPositive();
        // ACKs report what was applied.
        long[] applied = session.appliedLsn();
        for (int f = 0; f < flows; f++) {
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (sim.session(1).flow(f).lastAck() != applied[f] && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertThat(sim.session(1).flow(f).lastAck()).as("ACK of flow %d", f).isEqualTo(applied[f]);
        }
    }

    @Test
    void partialResumeWithWritesInTheGap() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(2));
        GeneratedEngine g = sim.generated();
        Random r = new Random(11);
        SimWorkload.seed(g, r);
        EventModel model = new EventModel();
        session = new ReplicationSession(sim.endpoint(), config(), model);
        session.start(null);
        assertThat(session.awaitStable(Duration.ofSeconds(30))).isTrue();
        for (int i = 0; i < 100; i++) {
            SimWorkload.randomWrite(g, r, i);
        }
        awaitCaughtUp(g);
        ResumePoint resume = session.resumePoint();
        assertThat(resume.masterId()).isEqualTo(sim.masterId());
        session.close();
        assertThat(sim.awaitCancellation(1, Duration.ofSeconds(5))).isTrue();

        for (int i = 0; i < 100; i++) {
            SimWorkload.randomWrite(g, r, 1000 + i);
        }
        session = new ReplicationSession(sim.endpoint(), config(), model);
        session.start(resume);
        assertThat(session.awaitStable(Duration.ofSeconds(30))).isTrue();
        for (int i = 0; i < 50; i++) {
            SimWorkload.randomWrite(g, r, 2000 + i);
        }
        awaitCaughtUp(g);
        assertSameData(g.dataset(), model);
        assertThat(model.epochs).containsExactly("1:FULL", "1:end:-", "1:PARTIAL");
        assertThat(sim.session(2).flow(0).partial()).isTrue();
    }

    @Test
    void fullSyncWhenTheAskedLsnsLeftTheBacklog() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(2));
        GeneratedEngine g = sim.generated();
        Random r = new Random(12);
        SimWorkload.seed(g, r);
        EventModel model = new EventModel();
        session = new ReplicationSession(sim.endpoint(), config(), model);
        session.start(null);
        assertThat(session.awaitStable(Duration.ofSeconds(30))).isTrue();
        awaitCaughtUp(g);
        ResumePoint resume = session.resumePoint();
        session.close();
        assertThat(sim.awaitCancellation(1, Duration.ofSeconds(5))).isTrue();
        for (int i = 0; i < 100; i++) {
            SimWorkload.randomWrite(g, r, i);
        }
        g.evictBacklog();
        session = new ReplicationSession(sim.endpoint(), config(), model);
        session.start(resume);
        assertThat(session.awaitStable(Duration.ofSeconds(30))).isTrue();
        awaitCaughtUp(g);
        assertSameData(g.dataset(), model);
        assertThat(model.epochs).containsExactly("1:FULL", "1:end:-", "1:FULL");
    }

    @Test
    void aMixOfFullAndPartialClosesEverythingAndStartsAFullSync() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(2));
        GeneratedEngine g = sim.generated();
        Random r = new Random(13);
        SimWorkload.seed(g, r);
        EventModel model = new EventModel();
        session = new ReplicationSession(sim.endpoint(), config(), model);
        session.start(null);
        assertThat(session.awaitStable(Duration.ofSeconds(30))).isTrue();
        awaitCaughtUp(g);
        ResumePoint resume = session.resumePoint();
        session.close();
        assertThat(sim.awaitCancellation(1, Duration.ofSeconds(5))).isTrue();
        for (int i = 0; i < 200; i++) {
            SimWorkload.randomWrite(g, r, i);
        }
        // Only shard 1 forgets: flow 0 gets PARTIAL, flow 1 FULL.
        g.evictBacklog(1);
        session = new ReplicationSession(sim.endpoint(), config(), model);
        session.start(resume);
        assertThat(session.awaitStable(Duration.ofSeconds(30))).isTrue();
        awaitCaughtUp(g);
        assertSameData(g.dataset(), model);
        // The mixed epoch never reached the listener: nothing of it was applied.
        assertThat(model.epochs).hasSize(4);
        assertThat(model.epochs.get(2)).startsWith("1:end:DragonflyException").contains("FULL/PARTIAL mix");
        assertThat(model.epochs.get(3)).isEqualTo("2:FULL");
        assertThat(sim.cancellations()).hasSize(2);
    }

    @Test
    void aFlowCutInsideAValueEndsTheSessionWithATypedError() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(1)
                .withStream(FlowStreamWriter.Options.defaults().withCompression(FlowStreamWriter.Compression.NONE)));
        GeneratedEngine g = sim.generated();
        byte[] big = new byte[1_000_000];
        new Random(14).nextBytes(big);
        g.seed(0, "huge", SimValue.string(big));
        g.cutFlowAt(0, 500_000);
        EventModel model = new EventModel();
        session = new ReplicationSession(sim.endpoint(), config().withMaxEpochs(1), model);
        session.start(null);
        assertThat(session.awaitTermination(Duration.ofSeconds(30))).isTrue();
        assertThat(session.failure()).isInstanceOf(StreamFormatException.class);
        StreamFormatException e = (StreamFormatException) session.failure();
        assertThat(e.flowId()).isZero();
        assertThat(e.getMessage()).contains("flow 0").contains("input ended inside it");
        assertThat(sim.awaitCancellation(1, Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aFlowCutInsideAJournalEntryEndsTheSessionWithATypedError() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(1));
        GeneratedEngine g = sim.generated();
        g.seed(0, "k", SimValue.string(b("v")));
        EventModel model = new EventModel();
        session = new ReplicationSession(sim.endpoint(), config().withMaxEpochs(1), model);
        session.start(null);
        assertThat(session.awaitStable(Duration.ofSeconds(30))).isTrue();
        g.write(0, "SET", "a", "1");
        awaitCaughtUp(g);
        long at = sim.session(1).flow(0).bytesWritten();
        g.cutFlowAt(0, at + 100);
        g.write(0, "SET", "b", "x".repeat(5000));
        assertThat(session.awaitTermination(Duration.ofSeconds(30))).isTrue();
        assertThat(session.failure()).isInstanceOf(StreamFormatException.class);
        assertThat(session.failure().getMessage()).contains("flow 0").contains("input ended inside it");
        assertThat(model.dataset().get(0, io.df2redis.testing.recordings.Bytes.utf8("a"))).isNotNull();
    }

    /** The consumer stops for longer than the master's stall timeout: drain + spill keep the session. */
    @Test
    void aConsumerAwayLongerThanTheStallTimeoutKeepsTheSession() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(2).withStallTimeout(Duration.ofMillis(800)));
        GeneratedEngine g = sim.generated();
        Random r = new Random(15);
        SimWorkload.seed(g, r);
        byte[] v = new byte[200_000];
        for (int i = 0; i < 15; i++) {
            r.nextBytes(v);
            g.seed(0, "blob:" + i, SimValue.string(v.clone()));
        }
        CountDownLatch resume = new CountDownLatch(1);
        EventModel model = new EventModel() {
            @Override
            public void onEvent(int flow, FlowEvent e) throws Exception {
                if (e instanceof FlowEvent.AuxField) {
                    resume.await();
                }
                super.onEvent(flow, e);
            }
        };
        ReplicationSession.Config cfg = config()
                .withFlow(FlowConfig.defaults().withMemory(64 * 1024).withSpill(spill, 64L << 20, 512 * 1024));
        session = new ReplicationSession(sim.endpoint(), cfg, model);
        session.start(null);
        Thread.sleep(2500);
        assertThat(sim.cancellations()).isEmpty();
        long spilled = 0;
        for (int f = 0; f < 2; f++) {
            FlowCounters c = session.flowCounters(f);
            spilled += c.bytesSpilled();
            assertThat(c.memoryBytes()).isLessThanOrEqualTo(64 * 1024);
        }
        assertThat(spilled).isGreaterThan(1_000_000);
        resume.countDown();
        assertThat(session.awaitStable(Duration.ofSeconds(30))).isTrue();
        for (int i = 0; i < 50; i++) {
            SimWorkload.randomWrite(g, r, i);
        }
        awaitCaughtUp(g);
        assertSameData(g.dataset(), model);
        assertThat(sim.cancellations()).isEmpty();
    }

    @Test
    void theSpillLimitEndsTheSessionWithAClearError() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(1));
        GeneratedEngine g = sim.generated();
        byte[] v = new byte[200_000];
        Random r = new Random(16);
        for (int i = 0; i < 15; i++) {
            r.nextBytes(v);
            g.seed(0, "blob:" + i, SimValue.string(v.clone()));
        }
        CountDownLatch never = new CountDownLatch(1);
        EventModel model = new EventModel() {
            @Override
            public void onEvent(int flow, FlowEvent e) throws Exception {
                never.await();
            }
        };
        ReplicationSession.Config cfg = config().withMaxEpochs(1)
                .withFlow(FlowConfig.defaults().withMemory(32 * 1024).withSpill(spill, 512 * 1024, 128 * 1024));
        session = new ReplicationSession(sim.endpoint(), cfg, model);
        session.start(null);
        assertThat(session.awaitTermination(Duration.ofSeconds(20))).isTrue();
        never.countDown();
        assertThat(session.failure()).isInstanceOf(SpillLimitExceededException.class)
                .hasMessageContaining("spill limit of 524288 bytes");
        try (var files = java.nio.file.Files.list(spill)) {
            assertThat(files.count()).as("spill files deleted").isZero();
        }
    }
}
