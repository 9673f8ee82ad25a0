package io.df2redis.dragonfly.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.dragonfly.flow.FlowConfig;
import io.df2redis.dragonfly.flow.FlowConnection;
import io.df2redis.resp.RespReply;
import io.df2redis.testing.dfsim.DfSim;
import io.df2redis.testing.dfsim.DfSimConfig;
import io.df2redis.testing.dfsim.ScriptedServer;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SessionControllerTest {
    private DfSim sim;

    @AfterEach
    void noForbiddenOrder() {
        if (sim != null) {
            assertThat(sim.violations()).as("forbidden orders sent to the simulator").isEmpty();
            assertThat(sim.crashed()).isFalse();
            sim.close();
        }
    }

    private static SessionConfig fast() {
        return SessionConfig.defaults().withLoading(Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(10));
    }

    @Test
    void handshakeParsesTheFiveElementReplyAndEchoesTheVersionAfterCapa() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(3));
        try (SessionController c = new SessionController(sim.endpoint(), fast(), 1)) {
            SessionInfo s = c.connect();
            assertThat(s.masterId()).isEqualTo(sim.masterId());
            assertThat(s.syncId()).isEqualTo("SYNC1");
            assertThat(s.numFlows()).isEqualTo(3);
            assertThat(s.protocolVersion()).isEqualTo(5);
            assertThat(s.lineageId()).isEqualTo(sim.masterId());
            assertThat(c.masterVersion()).isEqualTo(new MasterVersion(1, 40, 0, "df-v1.40.0-dfsim"));
            assertThat(c.partialSupported()).isTrue();
            assertThat(sim.session(1).clientVersion()).isEqualTo(5);
            assertThat(c.isOpen()).isTrue();
        }
        // Closing the main connection cancels the session on the master.
        assertThat(sim.awaitCancellation(1, Duration.ofSeconds(5))).isTrue();
        assertThat(sim.cancellations().get(0)).contains("main connection closed");
    }

    @Test
    void fourElementReplyOfAnOlderMasterGatesPartialSyncOnTheRealVersion() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withVersion("df-v1.30.2", 4, false));
        try (SessionController c = new SessionController(sim.endpoint(), fast(), 1)) {
            SessionInfo s = c.connect();
            assertThat(s.protocolVersion()).isEqualTo(4);
            assertThat(s.lineageId()).isEqualTo(s.masterId());
            assertThat(c.partialSupported()).isFalse();
            assertThat(c.planFlows(new ResumePoint(s.masterId(), new long[] {10, 20}))).containsOnly(OptionalLong.empty());
            assertThat(sim.session(1).clientVersion()).isEqualTo(4);
        }
    }

    @Test
    void capaReplyShapesAreChecked() throws Exception {
        String id = "0123456789abcdef0123456789abcdef01234567";
        SessionInfo three = SessionController.parseCapaReply(new RespReply.Array(List.of(
                new RespReply.SimpleString(id), new RespReply.SimpleString("SYNC4"), new RespReply.Integer(8))));
        assertThat(three).isEqualTo(new SessionInfo(id, "SYNC4", 8, -1, id));
        assertThat(three.hasProtocolVersion()).isFalse();
        assertThatThrownBy(() -> SessionController.parseCapaReply(new RespReply.SimpleString("OK")))
                .isInstanceOf(NotDragonflyMasterException.class);
        assertThatThrownBy(() -> SessionController.parseCapaReply(new RespReply.Array(List.of(
                new RespReply.SimpleString(id), new RespReply.SimpleString("SYNC4"), new RespReply.Integer(0)))))
                .isInstanceOf(UnexpectedReplyException.class).hasMessageContaining("1..1024");
        assertThatThrownBy(() -> SessionController.parseCapaReply(new RespReply.Array(List.of(
                new RespReply.SimpleString("short"), new RespReply.SimpleString("SYNC4"), new RespReply.Integer(2)))))
                .isInstanceOf(UnexpectedReplyException.class).hasMessageContaining("40-character");
    }

    @Test
    void aRedisMasterIsRecognisedAndNoClientVersionIsSent() throws Exception {
        try (ScriptedServer redis = new ScriptedServer(cmd -> switch (cmd.get(0)) {
            case "PING" -> ScriptedServer.bytes("+PONG\r\n");
            case "INFO" -> ScriptedServer.bytes("$27\r\n# Server\r\nredis_version:7\r\n\r\n");
            default -> ScriptedServer.bytes("+OK\r\n");
        })) {
            SessionController c = new SessionController(DragonflyEndpoint.plain("127.0.0.1", redis.port()), fast(), 1);
            assertThatThrownBy(c::connect).isInstanceOf(NotDragonflyMasterException.class)
                    .hasMessage("the source redis://127.0.0.1:" + redis.port() + " is a Redis 7 (its INFO has no dragonfly_version), not a"
                            + " Dragonfly: df2redis reads a Dragonfly master's replication stream (DFLY FLOW); point --source.url"
                            + " at the Dragonfly master");
            // Told apart by INFO, before any Dragonfly-only command.
            assertThat(redis.received()).extracting(l -> String.join(" ", l))
                    .containsExactly("PING", "REPLCONF listening-port 0", "REPLCONF capa eof capa psync2", "INFO SERVER",
                            "INFO REPLICATION");
        }
    }

    @Test
    void aDragonflyReplicaIsToldApartAndItsMasterNamed() throws Exception {
        String info = "# Server\r\nredis_version:7.4.0\r\ndragonfly_version:df-v1.40.1\r\n# Replication\r\nrole:replica\r\n"
                + "master_host:10.0.0.7\r\nmaster_port:6380\r\n";
        try (ScriptedServer replica = new ScriptedServer(cmd -> switch (cmd.get(0)) {
            case "PING" -> ScriptedServer.bytes("+PONG\r\n");
            case "INFO" -> ScriptedServer.bytes("$" + info.length() + "\r\n" + info + "\r\n");
            default -> ScriptedServer.bytes("+OK\r\n");
        })) {
            SessionController c = new SessionController(DragonflyEndpoint.plain("127.0.0.1", replica.port()), fast(), 1);
            assertThatThrownBy(c::connect).isInstanceOf(NotDragonflyMasterException.class)
                    .hasMessage("the source redis://127.0.0.1:" + replica.port() + " is a Dragonfly df-v1.40.1 replica of 10.0.0.7:6380, not a"
                            + " master: point --source.url at the master (10.0.0.7:6380), or promote this one first (REPLICAOF NO ONE)");
            assertThat(replica.received()).extracting(l -> String.join(" ", l)).doesNotContain("REPLCONF capa dragonfly");
        }
    }

    @Test
    void tooOldAMasterIsRefusedBeforeASessionIsCreated() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withVersion("df-v1.19.0", 4, false));
        SessionController c = new SessionController(sim.endpoint(), fast(), 1);
        assertThatThrownBy(c::connect).isInstanceOf(UnsupportedMasterException.class).hasMessageContaining("v1.21.0");
        assertThat(sim.liveSessions()).isZero();
    }

    @Test
    void authenticatesWithUserAndPasswordOrFailsTyped() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withAuth("repl", "s3cret"));
        DragonflyEndpoint good = DragonflyEndpoint.parse("redis://repl:s3cret@127.0.0.1:" + sim.port());
        try (SessionController c = new SessionController(good, fast(), 1)) {
            assertThat(c.connect().numFlows()).isEqualTo(2);
        }
        DragonflyEndpoint bad = DragonflyEndpoint.parse("redis://repl:nope@127.0.0.1:" + sim.port());
        SessionController c = new SessionController(bad, fast(), 2);
        assertThatThrownBy(c::connect).isInstanceOf(MasterErrorException.AuthFailed.class).hasMessageContaining("AUTH repl ***");
    }

    @Test
    void passwordOnlyAuth() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withAuth(null, "pw"));
        try (SessionController c = new SessionController(DragonflyEndpoint.parse("redis://:pw@127.0.0.1:" + sim.port()), fast(), 1)) {
            assertThat(c.connect().syncId()).isEqualTo("SYNC1");
        }
    }

    @Test
    void loadingMasterIsWaitedForWithBackoff() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withLoading(Duration.ofSeconds(1)));
        try (SessionController c = new SessionController(sim.endpoint(), fast(), 1)) {
            assertThat(c.connect().syncId()).isEqualTo("SYNC1");
        }
        // It was refused while loading and retried, with back-off (20 ms doubling to 100 ms: a handful of tries).
        assertThat(sim.loadingReplies()).isBetween(2L, 40L);
    }

    @Test
    void loadingPastTheTimeoutIsATypedError() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withLoading(Duration.ofMinutes(5)));
        SessionConfig cfg = SessionConfig.defaults().withLoading(Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(300));
        SessionController c = new SessionController(sim.endpoint(), cfg, 1);
        assertThatThrownBy(c::connect).isInstanceOf(MasterErrorException.Loading.class).hasMessageContaining("LOADING");
        assertThat(sim.liveSessions()).isZero();
    }

    @Test
    void forbiddenOrdersAreRefusedWithoutSendingAnything() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(2));
        try (SessionController c = new SessionController(sim.endpoint(), fast(), 1)) {
            SessionInfo s = c.connect();
            assertThatThrownBy(c::sync).isInstanceOf(ForbiddenOrderException.class).hasMessageContaining("0/2");
            assertThatThrownBy(c::startStable).isInstanceOf(ForbiddenOrderException.class);
            FlowConfig fc = FlowConfig.defaults();
            try (FlowConnection f0 = FlowConnection.open(sim.endpoint(), ConnectConfig.defaults(), fc, s.masterId(), s.syncId(), 0,
                    OptionalLong.empty(), null);
                    FlowConnection f1 = FlowConnection.open(sim.endpoint(), ConnectConfig.defaults(), fc, s.masterId(), s.syncId(), 1,
                            OptionalLong.empty(), null)) {
                c.coordinator().onFlowOpened(0, f0.kind());
                c.coordinator().onFlowOpened(1, f1.kind());
                // STARTSTABLE for FULL flows without DFLY SYNC would crash a real master.
                assertThatThrownBy(c::startStable).isInstanceOf(ForbiddenOrderException.class)
                        .hasMessageContaining("without a successful DFLY SYNC");
                c.sync();
                assertThatThrownBy(c::sync).isInstanceOf(ForbiddenOrderException.class);
                assertThatThrownBy(c::startStable).isInstanceOf(ForbiddenOrderException.class)
                        .hasMessageContaining("static-data end");
                assertThat(sim.session(1).state()).isEqualTo(DfSim.State.FULL_SYNC);
            }
        }
    }

    @Test
    void replicaOffsetsFollowTheJournal() throws Exception {
        sim = DfSim.generated(DfSimConfig.defaults().withFlows(2));
        try (SessionController c = new SessionController(sim.endpoint(), fast(), 1)) {
            SessionInfo s = c.connect();
            assertThat(c.replicaOffsets()).containsExactly(0, 0);
            try (FlowConnection f = FlowConnection.open(sim.endpoint(), ConnectConfig.defaults(), FlowConfig.defaults(),
                    s.masterId(), s.syncId(), 0, OptionalLong.empty(), null)) {
                // The first DFLY FLOW started the journals: LSNs begin at 1.
                assertThat(f.kind()).isEqualTo(SyncKind.FULL);
                assertThat(c.replicaOffsets()).containsExactly(1, 1);
                for (int i = 0; i < 10; i++) {
                    sim.generated().write(0, "SET", "k" + i, "v");
                }
                long[] o = c.replicaOffsets();
                assertThat(o[0] + o[1]).isEqualTo(12);
                assertThat(o).containsExactly(sim.generated().replicaOffsets());
            }
        }
    }

    @Test
    void errorRepliesMapToTypedExceptions() {
        assertThat(MasterErrorException.of("x", "ERR bad master id")).isInstanceOf(MasterErrorException.BadMasterId.class);
        assertThat(MasterErrorException.of("x", "ERR invalid state")).isInstanceOf(MasterErrorException.InvalidState.class);
        assertThat(MasterErrorException.of("x", "ERR syncid not found")).isInstanceOf(MasterErrorException.SyncIdNotFound.class);
        assertThat(MasterErrorException.of("x", "ERR bad sync id")).isInstanceOf(MasterErrorException.BadSyncId.class);
        assertThat(MasterErrorException.of("x", "ERR value is not an integer or out of range"))
                .isInstanceOf(MasterErrorException.ValueOutOfRange.class);
        assertThat(MasterErrorException.of("x", "ERR syntax error")).isInstanceOf(MasterErrorException.SyntaxError.class);
        assertThat(MasterErrorException.of("x", "LOADING Dragonfly is loading the dataset in memory"))
                .isInstanceOf(MasterErrorException.Loading.class);
        assertThat(MasterErrorException.of("x", "WRONGPASS invalid username-password pair"))
                .isInstanceOf(MasterErrorException.AuthFailed.class);
        assertThat(MasterErrorException.of("x", "NOAUTH Authentication required.")).isInstanceOf(MasterErrorException.AuthFailed.class);
        assertThat(MasterErrorException.of("x", "NOPERM this user has no permissions to run the 'dfly' command"))
                .isInstanceOf(MasterErrorException.NoPermission.class);
        assertThat(MasterErrorException.of("x", "ERR Replicating a replica is unsupported"))
                .isInstanceOf(MasterErrorException.ReplicaOfReplica.class);
        MasterErrorException other = MasterErrorException.of("DFLY SYNC SYNC1", "ERR something new");
        assertThat(other.getClass()).isEqualTo(MasterErrorException.class);
        assertThat(other.getMessage()).isEqualTo("master refused 'DFLY SYNC SYNC1': -ERR something new");
    }

    @Test
    void endpointsParse() {
        assertThat(DragonflyEndpoint.parse("rediss://u:p%40ss@h:7000"))
                .isEqualTo(new DragonflyEndpoint("h", 7000, true, "u", "p@ss"));
        assertThat(DragonflyEndpoint.parse("h")).isEqualTo(DragonflyEndpoint.plain("h", 6379));
        assertThat(DragonflyEndpoint.parse("redis://:pw@h:1").toString()).isEqualTo("redis://:***@h:1");
        assertThatThrownBy(() -> DragonflyEndpoint.parse("http://h")).isInstanceOf(IllegalArgumentException.class);
        assertThat(MasterVersion.parse("df-v1.40.0-87-gf8eca6d0b")).isEqualTo(new MasterVersion(1, 40, 0, "df-v1.40.0-87-gf8eca6d0b"));
        assertThat(MasterVersion.parse("v1.31.2").supportsPartialSync()).isTrue();
        assertThat(MasterVersion.parse("df-v1.30.9").supportsPartialSync()).isFalse();
        assertThat(MasterVersion.parse("garbage")).isNull();
    }
}
