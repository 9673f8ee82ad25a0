package io.df2redis.dragonfly.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.dragonfly.session.ConnectConfig;
import io.df2redis.dragonfly.session.DragonflyEndpoint;
import io.df2redis.dragonfly.session.MasterErrorException;
import io.df2redis.dragonfly.session.SessionConfig;
import io.df2redis.dragonfly.session.SessionController;
import io.df2redis.dragonfly.session.SessionInfo;
import io.df2redis.dragonfly.session.SyncKind;
import io.df2redis.dragonfly.session.UnexpectedReplyException;
import io.df2redis.testing.dfsim.DfSim;
import io.df2redis.testing.dfsim.DfSimConfig;
import io.df2redis.testing.dfsim.GeneratedEngine;
import io.df2redis.testing.dfsim.ScriptedServer;
import io.df2redis.testing.dfsim.SimValue;
import io.df2redis.testing.dfsim.TestTls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class FlowConnectionTest {
    @TempDir
    Path spill;

    private DfSim sim;

    @AfterEach
    void noForbiddenOrder() {
        if (sim != null) {
            assertThat(sim.violations()).as("forbidden orders sent to the simulator").isEmpty();
            assertThat(sim.crashed()).isFalse();
            sim.close();
        }
    }

    private FlowConfig config() {
        return FlowConfig.defaults().withSpill(spill, 64L << 20, 1 << 20);
    }

    private FlowConnection open(SessionInfo s, int flow, OptionalLong lsn, FlowConfig fc) throws IOException {
        return FlowConnection.open(sim.endpoint(), ConnectConfig.defaults(), fc, s.masterId(), s.syncId(), flow, lsn, null);
    }

    @Test
    void refusalsAreTyped() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(2));
        try (SessionController c = new SessionController(sim.endpoint(), SessionConfig.defaults(), 1)) {
            SessionInfo s = c.connect();
            ConnectConfig cc = ConnectConfig.defaults();
            assertThatThrownBy(() -> FlowConnection.open(sim.endpoint(), cc, config(), "f".repeat(40), s.syncId(), 0,
                    OptionalLong.empty(), null)).isInstanceOf(MasterErrorException.BadMasterId.class);
            assertThatThrownBy(() -> FlowConnection.open(sim.endpoint(), cc, config(), s.masterId(), "SYNC77", 0,
                    OptionalLong.empty(), null)).isInstanceOf(MasterErrorException.SyncIdNotFound.class);
            assertThatThrownBy(() -> FlowConnection.open(sim.endpoint(), cc, config(), s.masterId(), "sync1", 0,
                    OptionalLong.empty(), null)).isInstanceOf(MasterErrorException.BadSyncId.class);
            assertThatThrownBy(() -> open(s, 2, OptionalLong.empty(), config()))
                    .isInstanceOf(MasterErrorException.ValueOutOfRange.class)
                    .hasMessageContaining("DFLY FLOW " + s.masterId() + " SYNC1 2");
            assertThat(sim.liveSessions()).isEqualTo(1);
        }
    }

    @Test
    void flowAfterSyncIsInvalidState() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(1));
        try (SessionController c = new SessionController(sim.endpoint(), SessionConfig.defaults(), 1)) {
            SessionInfo s = c.connect();
            try (FlowConnection f = open(s, 0, OptionalLong.empty(), config())) {
                c.coordinator().onFlowOpened(0, f.kind());
                c.sync();
                // A second flow 0 after SYNC: the master refuses (and the simulator notes the client's mistake).
                assertThatThrownBy(() -> open(s, 0, OptionalLong.empty(), config()))
                        .isInstanceOf(MasterErrorException.InvalidState.class);
                assertThat(sim.violations()).singleElement().satisfies(v -> assertThat(v.what()).contains("DFLY FLOW"));
            }
        }
        sim.close();
        sim = null;
    }

    @Test
    void bytesThatCameWithTheReplyAreTheStreamsFirstBytes() throws Exception {
        String token = "ab".repeat(20);
        try (ScriptedServer master = new ScriptedServer(cmd -> cmd.get(0).equals("DFLY")
                ? ScriptedServer.bytes("*2\r\n+FULL\r\n+" + token + "\r\nREDIS0009\u00fa")
                : null)) {
            try (FlowConnection f = FlowConnection.open(DragonflyEndpoint.plain("127.0.0.1", master.port()),
                    ConnectConfig.defaults(), config(), "m".repeat(40), "SYNC1", 0, OptionalLong.empty(), null)) {
                assertThat(f.kind()).isEqualTo(SyncKind.FULL);
                assertThat(f.eofToken()).isEqualTo(token);
                byte[] b = new byte[64];
                int n = f.read(b, 0, b.length, Duration.ofSeconds(5));
                assertThat(new String(b, 0, n, StandardCharsets.ISO_8859_1)).isEqualTo("REDIS0009\u00fa");
                assertThat(f.counters().bytesReceived()).isEqualTo(10);
            }
        }
    }

    @Test
    void malformedFlowRepliesAreTyped() throws Exception {
        try (ScriptedServer master = new ScriptedServer(cmd -> ScriptedServer.bytes("*2\r\n+HALF\r\n+" + "0".repeat(40) + "\r\n"))) {
            assertThatThrownBy(() -> FlowConnection.open(DragonflyEndpoint.plain("127.0.0.1", master.port()),
                    ConnectConfig.defaults(), config(), "m".repeat(40), "SYNC1", 0, OptionalLong.empty(), null))
                    .isInstanceOf(UnexpectedReplyException.class).hasMessageContaining("+HALF");
        }
        try (ScriptedServer master = new ScriptedServer(cmd -> ScriptedServer.bytes("*2\r\n+PARTIAL\r\n+" + "0".repeat(40) + "\r\n"))) {
            assertThatThrownBy(() -> FlowConnection.open(DragonflyEndpoint.plain("127.0.0.1", master.port()),
                    ConnectConfig.defaults(), config(), "m".repeat(40), "SYNC1", 0, OptionalLong.empty(), null))
                    .isInstanceOf(UnexpectedReplyException.class).hasMessageContaining("no LSN was asked");
        }
    }

    @Test
    void acksGoOnTheFlowPeriodicallyAndAtOnceAfterAPing() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(1));
        try (SessionController c = new SessionController(sim.endpoint(), SessionConfig.defaults(), 1)) {
            SessionInfo s = c.connect();
            try (FlowConnection f = open(s, 0, OptionalLong.empty(), config().withAckInterval(Duration.ofMillis(100)))) {
                DfSim.SimFlow sf = sim.session(1).flow(0);
                assertThat(sf.lastAck()).isEqualTo(-1);
                f.ackLsn(7);
                awaitAck(sf, 7);
                long t0 = sf.acks();
                Thread.sleep(600);
                assertThat(sf.acks() - t0).as("acks re-sent every interval even unchanged").isGreaterThanOrEqualTo(3);
                assertThat(f.counters().lastAck()).isEqualTo(7);
            }
            try (SessionController c2 = new SessionController(sim.endpoint(), SessionConfig.defaults(), 2)) {
                SessionInfo s2 = c2.connect();
                try (FlowConnection f = open(s2, 0, OptionalLong.empty(), config().withAckInterval(Duration.ofSeconds(30)))) {
                    DfSim.SimFlow sf = sim.session(2).flow(0);
                    f.ackLsn(5);
                    awaitAck(sf, 5);
                    f.ackLsn(9);
                    f.ackNow();
                    awaitAck(sf, 9);
                    assertThat(sf.acks()).isEqualTo(2);
                }
            }
        }
    }

    private static void awaitAck(DfSim.SimFlow f, long v) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (f.lastAck() != v && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertThat(f.lastAck()).isEqualTo(v);
    }

    /** A consumer that stops reading for longer than the stall timeout: the drain thread and spill keep the session. */
    @Test
    void drainAndSpillOutliveAStalledConsumer() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(1).withStallTimeout(Duration.ofMillis(700)));
        byte[] value = new byte[100_000];
        new Random(5).nextBytes(value);
        for (int i = 0; i < 30; i++) {
            sim.generated().seed(0, "big:" + i, SimValue.string(value.clone()));
        }
        FlowConfig fc = config().withMemory(64 * 1024).withSpill(spill, 64L << 20, 256 * 1024);
        try (SessionController c = new SessionController(sim.endpoint(), SessionConfig.defaults(), 1)) {
            SessionInfo s = c.connect();
            try (FlowConnection f = open(s, 0, OptionalLong.empty(), fc)) {
                c.coordinator().onFlowOpened(0, f.kind());
                c.sync();
                // The consumer is away for more than twice the master's stall timeout.
                Thread.sleep(2000);
                assertThat(sim.cancellations()).isEmpty();
                assertThat(f.counters().bytesSpilled()).isGreaterThan(2_000_000);
                assertThat(f.counters().memoryBytes()).isLessThanOrEqualTo(64 * 1024);
                assertThat(spillFiles()).isPositive();
                // Then it reads everything, in order: header first, FULLSYNC_END last.
                long written = sim.session(1).flow(0).bytesWritten();
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                byte[] b = new byte[8192];
                while (all.size() < written) {
                    int n = f.read(b, 0, b.length, Duration.ofSeconds(5));
                    assertThat(n).isPositive();
                    all.write(b, 0, n);
                }
                byte[] got = all.toByteArray();
                assertThat(new String(got, 0, 9, StandardCharsets.US_ASCII)).isEqualTo("REDIS0009");
                assertThat(got[got.length - 9] & 0xff).as("FULLSYNC_END last").isEqualTo(0xC8);
                assertThat(f.counters().bytesConsumed()).isEqualTo(f.counters().bytesReceived());
                assertThat(spillFiles()).isZero();
                assertThat(sim.liveSessions()).isEqualTo(1);
            }
        }
    }

    @Test
    void reachingTheSpillLimitIsAClearErrorLongBeforeTheMasterGivesUp() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(1));
        byte[] value = new byte[100_000];
        new Random(6).nextBytes(value);
        for (int i = 0; i < 30; i++) {
            sim.generated().seed(0, "big:" + i, SimValue.string(value.clone()));
        }
        FlowConfig fc = config().withMemory(32 * 1024).withSpill(spill, 256 * 1024, 64 * 1024);
        CompletableFuture<FlowLostException> failed = new CompletableFuture<>();
        try (SessionController c = new SessionController(sim.endpoint(), SessionConfig.defaults(), 1)) {
            SessionInfo s = c.connect();
            long t0 = System.nanoTime();
            try (FlowConnection f = FlowConnection.open(sim.endpoint(), ConnectConfig.defaults(), fc, s.masterId(), s.syncId(), 0,
                    OptionalLong.empty(), (flow, cause) -> failed.complete(cause))) {
                c.coordinator().onFlowOpened(0, f.kind());
                c.sync();
                FlowLostException e = failed.get(10, TimeUnit.SECONDS);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
                assertThat(e).isInstanceOf(SpillLimitExceededException.class)
                        .hasMessageContaining("flow 0").hasMessageContaining("spill limit of 262144 bytes");
                assertThat(f.counters().spillLimitHits()).isEqualTo(1);
                assertThat(f.failure()).isSameAs(e);
                // The consumer gets what was buffered, then the same error.
                byte[] b = new byte[65536];
                assertThatThrownBy(() -> {
                    while (true) {
                        f.read(b, 0, b.length, Duration.ofSeconds(1));
                    }
                }).isSameAs(e);
            }
            // The flow was closed: the master cancelled the session.
            assertThat(sim.awaitCancellation(1, Duration.ofSeconds(5))).isTrue();
        }
        assertThat(spillFiles()).isZero();
    }

    @Test
    void tlsEndToEnd(@TempDir Path certDir) throws Exception {
        TestTls tls = TestTls.create(certDir);
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(1), tls.serverContext().getServerSocketFactory());
        sim.generated().seed(0, "k", SimValue.string("v".getBytes(StandardCharsets.US_ASCII)));
        SSLContext client = tls.clientContext();
        ConnectConfig cc = ConnectConfig.defaults().withTls(client, true);
        DragonflyEndpoint ep = sim.endpoint();
        assertThat(ep.tls()).isTrue();
        try (SessionController c = new SessionController(ep, SessionConfig.defaults().withConnect(cc), 1)) {
            SessionInfo s = c.connect();
            try (FlowConnection f = FlowConnection.open(ep, cc, config(), s.masterId(), s.syncId(), 0, OptionalLong.empty(), null)) {
                c.coordinator().onFlowOpened(0, f.kind());
                c.sync();
                byte[] b = new byte[9];
                int got = 0;
                while (got < 9) {
                    got += f.read(b, got, 9 - got, Duration.ofSeconds(5));
                }
                assertThat(new String(b, StandardCharsets.US_ASCII)).isEqualTo("REDIS0009");
                f.ackLsn(1);
                awaitAck(sim.session(1).flow(0), 1);
            }
        }
        // Without trusting the certificate the handshake fails.
        SessionController untrusted = new SessionController(ep, SessionConfig.defaults(), 2);
        assertThatThrownBy(untrusted::connect).isInstanceOf(IOException.class);
    }

    private long spillFiles() throws IOException {
        try (Stream<Path> s = Files.list(spill)) {
            return s.count();
        }
    }
}
