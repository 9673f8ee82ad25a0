package io.df2redis.testing.dfsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.resp.RespReply;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The simulator against the recordings of a real v1.40 master and the "Observed protocol facts"
 * of their README: same replies byte for byte, same flow bytes, same refusals, same crashes.
 */
@Timeout(60)
class DfSimConformanceTest {

    /** Replays a recorded session with a bare client and checks every byte the simulator sends. */
    @ParameterizedTest
    @ValueSource(strings = {"types-basic", "big-values", "journal-rewrites", "compression-zstd", "dragonfly-types",
        "partial-sync/session-1"})
    void replayIsByteForByte(String scenario) throws Exception {
        ReplayScript rec = ReplayScript.of(scenario);
        try (DfSim sim = DfSim.replay(DfSimConfig.defaults(), List.of(rec))) {
            replaySession(sim, rec);
            assertThat(sim.violations()).isEmpty();
            assertThat(sim.crashed()).isFalse();
        }
    }

    @Test
    void partialSyncRecordingReplaysBothSessionsInOrder() throws Exception {
        ReplayScript s1 = ReplayScript.of("partial-sync/session-1");
        ReplayScript s2 = ReplayScript.of("partial-sync/session-2");
        try (DfSim sim = DfSim.replay(DfSimConfig.defaults(), List.of(s1, s2))) {
            replaySession(sim, s1);
            replaySession(sim, s2);
            assertThat(sim.violations()).isEmpty();
        }
    }

    private static void replaySession(DfSim sim, ReplayScript rec) throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        try (RawConn main = new RawConn(sim.port())) {
            for (ReplayScript.Exchange e : rec.mainLog()) {
                if (e.command().startsWith("DFLY")) {
                    break;
                }
                main.send(e.command().split(" "));
                assertThat(main.readExactly(e.reply().length)).as(e.command()).isEqualTo(e.reply());
            }
            List<RawConn> flows = new ArrayList<>();
            for (ReplayScript.RecordedFlow f : rec.flows()) {
                RawConn c = new RawConn(sim.port());
                flows.add(c);
                c.send(f.command().split(" "));
                assertThat(c.readExactly(f.reply().length)).as(f.command()).isEqualTo(f.reply());
            }
            List<Future<byte[]>> before = new ArrayList<>();
            boolean full = rec.flows().get(0).kind().equals("FULL");
            if (full) {
                for (int i = 0; i < flows.size(); i++) {
                    RawConn c = flows.get(i);
                    int n = rec.flows().get(i).bytesAtStartStable();
                    before.add(pool.submit(() -> c.readExactly(n)));
                }
                main.send("DFLY", "SYNC", rec.syncId());
                assertThat(main.readExactly(5)).isEqualTo("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < flows.size(); i++) {
                    byte[] got = before.get(i).get();
                    assertThat(got).hasSize(rec.flows().get(i).bytesAtStartStable());
                }
            }
            main.send("DFLY", "STARTSTABLE", rec.syncId());
            assertThat(main.readExactly(5)).isEqualTo("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < flows.size(); i++) {
                ReplayScript.RecordedFlow f = rec.flows().get(i);
                byte[] rest = flows.get(i).readExactly(f.bytes().length - f.bytesAtStartStable());
                byte[] all = new byte[f.bytes().length];
                if (full) {
                    System.arraycopy(before.get(i).get(), 0, all, 0, f.bytesAtStartStable());
                }
                System.arraycopy(rest, 0, all, f.bytesAtStartStable(), rest.length);
                assertThat(all).as("flow %d of %s", i, rec.dir()).isEqualTo(f.bytes());
            }
            for (RawConn c : flows) {
                c.close();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String err(RespReply r) {
        assertThat(r).isInstanceOf(RespReply.Error.class);
        return ((RespReply.Error) r).message();
    }

    /**
     * Failover, protocol doc §4.1: a replica refuses to be replicated from; once promoted, the failover
     * form of DFLY FLOW is granted PARTIAL only for its old master's id with one LSN per shard (a wrong
     * vector size is a syntax error, another id gets FULL), and LSNs go on from the old master's.
     */
    @Test
    void aPromotedReplicaGrantsTheFailoverFormOnlyForItsOldMaster() throws Exception {
        try (DfSim sim = DfSim.generated(DfSimConfig.defaults().withFlows(2))) {
            int replicaPort = sim.replicaPort();
            try (RawConn replica = new RawConn(replicaPort)) {
                assertThat(replica.call("INFO", "REPLICATION").asText()).contains("role:replica").contains("master_port:" + sim.port());
                assertThat(err(replica.call("REPLCONF", "capa", "dragonfly"))).isEqualTo("ERR Replicating a replica is unsupported");
            }
            String oldId;
            try (RawConn main = new RawConn(sim.port())) {
                oldId = main.call("REPLCONF", "capa", "dragonfly").asArray().get(0).asText();
                String sync = "SYNC1";
                try (RawConn f0 = new RawConn(sim.port()); RawConn f1 = new RawConn(sim.port())) {
                    f0.call("DFLY", "FLOW", oldId, sync, "0");
                    f1.call("DFLY", "FLOW", oldId, sync, "1");
                }
            }
            sim.generated().write(0, "SET", "k", "v"); // journaled with LSN 1 on its shard
            long[] before = sim.generated().replicaOffsets();
            sim.failoverToReplica();
            assertThat(sim.generated().replicaOffsets()).as("LSNs go on").containsExactly(before);
            try (RawConn main = new RawConn(replicaPort)) {
                assertThat(main.call("INFO", "REPLICATION").asText()).contains("role:master");
                List<RespReply> capa = main.call("REPLCONF", "capa", "dragonfly").asArray();
                String newId = capa.get(0).asText();
                String sync = capa.get(1).asText();
                assertThat(newId).isNotEqualTo(oldId);
                String vector = before[0] + "-" + before[1];
                try (RawConn f = new RawConn(replicaPort)) {
                    assertThat(err(f.call("DFLY", "FLOW", newId, sync, "0", oldId, "1"))).isEqualTo("ERR syntax error");
                }
                try (RawConn f0 = new RawConn(replicaPort); RawConn f1 = new RawConn(replicaPort)) {
                    assertThat(f0.call("DFLY", "FLOW", newId, sync, "0", "f".repeat(40), vector).asArray().get(0).asText())
                            .as("another master's id").isEqualTo("FULL");
                    assertThat(f1.call("DFLY", "FLOW", newId, sync, "1", oldId, vector).asArray().get(0).asText())
                            .as("the old master's id and LSNs").isEqualTo("PARTIAL");
                }
            }
        }
    }

    /** Refusals listed in the recordings' README, "Observed protocol facts". */
    @Test
    void refusesLikeARealMaster() throws Exception {
        try (DfSim sim = DfSim.generated(DfSimConfig.defaults().withFlows(2));
                RawConn main = new RawConn(sim.port())) {
            assertThat(main.call("REPLCONF", "capa", "dragonfly", "capa", "eof").asText()).isEqualTo("OK");
            assertThat(main.call("REPLCONF", "capa", "DRAGONFLY").asText()).isEqualTo("OK");
            assertThat(sim.liveSessions()).isZero();
            List<RespReply> capa = main.call("REPLCONF", "capa", "dragonfly").asArray();
            assertThat(capa).hasSize(5);
            String id = capa.get(0).asText();
            String sync = capa.get(1).asText();
            assertThat(sync).isEqualTo("SYNC1");
            assertThat(capa.get(2).asLong()).isEqualTo(2);
            assertThat(capa.get(3).asLong()).isEqualTo(5);
            assertThat(capa.get(4).asText()).isEqualTo(id);
            assertThat(main.call("REPLCONF", "CLIENT-VERSION", "5").asText()).isEqualTo("OK");

            // DFLY SYNC before every flow is registered
            assertThat(err(main.call("DFLY", "SYNC", sync))).isEqualTo("ERR invalid state");
            try (RawConn f = new RawConn(sim.port())) {
                assertThat(err(f.call("DFLY", "FLOW", "0".repeat(40), sync, "0"))).isEqualTo("ERR bad master id");
                assertThat(err(f.call("DFLY", "FLOW", id, "sync1", "0"))).isEqualTo("ERR bad sync id");
                assertThat(err(f.call("DFLY", "FLOW", id, "SYNC999", "0"))).isEqualTo("ERR syncid not found");
                assertThat(err(f.call("DFLY", "FLOW", id, sync, "2"))).isEqualTo("ERR value is not an integer or out of range");
                assertThat(err(f.call("DFLY", "FLOW", id, sync, "0", "x"))).isEqualTo("ERR value is not an integer or out of range");
            }
            RawConn f0 = new RawConn(sim.port());
            RawConn f1 = new RawConn(sim.port());
            assertThat(f0.call("DFLY", "FLOW", id, sync, "0").asArray().get(0).asText()).isEqualTo("FULL");
            assertThat(f1.call("DFLY", "FLOW", id, sync, "1").asArray().get(0).asText()).isEqualTo("FULL");
            assertThat(main.call("DFLY", "SYNC", sync).asText()).isEqualTo("OK");
            assertThat(err(main.call("DFLY", "SYNC", sync))).isEqualTo("ERR invalid state");
            try (RawConn late = new RawConn(sim.port())) {
                assertThat(err(late.call("DFLY", "FLOW", id, sync, "1"))).isEqualTo("ERR invalid state");
            }
            // REPLCONF ACK on main: no reply (the PING's PONG is the next reply).
            main.send("REPLCONF", "ACK", "1");
            assertThat(main.call("PING").asText()).isEqualTo("PONG");
            assertThat(sim.violations()).extracting(Violation::what).anyMatch(v -> v.contains("REPLCONF ACK on a connection"));
            f0.readUntilQuiet(300);
            f1.readUntilQuiet(300);
            assertThat(main.call("DFLY", "STARTSTABLE", sync).asText()).isEqualTo("OK");
            assertThat(err(main.call("DFLY", "STARTSTABLE", sync))).isEqualTo("ERR invalid state");
            assertThat(sim.crashed()).isFalse();
            f0.close();
            f1.close();
        }
    }

    @Test
    void clientVersionBeforeCapaDragonflyCrashesTheMaster() throws Exception {
        try (DfSim sim = DfSim.generated(DfSimConfig.defaults()); RawConn main = new RawConn(sim.port())) {
            assertThat(main.call("PING").asText()).isEqualTo("PONG");
            main.send("REPLCONF", "CLIENT-VERSION", "5");
            assertThat(main.closedByPeerWithin(5000)).isTrue();
            assertThat(sim.crashed()).isTrue();
            assertThat(sim.violations()).singleElement().satisfies(v -> {
                assertThat(v.crashing()).isTrue();
                assertThat(v.what()).contains("CLIENT-VERSION before REPLCONF capa dragonfly");
            });
            assertThatThrownBy(() -> new Socket("127.0.0.1", sim.port()).close()).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void startStableForFullFlowsWithoutSyncCrashesTheMaster() throws Exception {
        try (DfSim sim = DfSim.generated(DfSimConfig.defaults().withFlows(1)); RawConn main = new RawConn(sim.port())) {
            List<RespReply> capa = main.call("REPLCONF", "capa", "dragonfly").asArray();
            RawConn f = new RawConn(sim.port());
            f.call("DFLY", "FLOW", capa.get(0).asText(), capa.get(1).asText(), "0");
            main.send("DFLY", "STARTSTABLE", capa.get(1).asText());
            assertThat(main.closedByPeerWithin(5000)).isTrue();
            assertThat(f.closedByPeerWithin(5000)).isTrue();
            assertThat(sim.crashed()).isTrue();
            assertThat(sim.violations()).anySatisfy(v -> assertThat(v.what()).contains("without DFLY SYNC"));
        }
    }

    @Test
    void closingAnyConnectionCancelsTheWholeSession() throws Exception {
        try (DfSim sim = DfSim.generated(DfSimConfig.defaults().withFlows(2)); RawConn main = new RawConn(sim.port())) {
            List<RespReply> capa = main.call("REPLCONF", "capa", "dragonfly").asArray();
            RawConn f0 = new RawConn(sim.port());
            RawConn f1 = new RawConn(sim.port());
            f0.call("DFLY", "FLOW", capa.get(0).asText(), capa.get(1).asText(), "0");
            f1.call("DFLY", "FLOW", capa.get(0).asText(), capa.get(1).asText(), "1");
            f1.close();
            assertThat(sim.awaitCancellation(1, Duration.ofSeconds(5))).isTrue();
            assertThat(sim.cancellations().get(0)).contains("flow 1 closed");
            assertThat(f0.closedByPeerWithin(5000)).isTrue();
            assertThat(main.closedByPeerWithin(5000)).isTrue();
            assertThat(sim.liveSessions()).isZero();
            // The master itself lives on.
            try (RawConn again = new RawConn(sim.port())) {
                assertThat(again.call("PING").asText()).isEqualTo("PONG");
            }
        }
    }

    @Test
    void aFlowNobodyReadsIsCancelledAfterTheStallTimeout() throws Exception {
        DfSimConfig cfg = DfSimConfig.defaults().withFlows(1).withStallTimeout(Duration.ofMillis(800));
        try (DfSim sim = DfSim.generated(cfg); RawConn main = new RawConn(sim.port())) {
            GeneratedEngine g = sim.generated();
            byte[] big = new byte[200_000];
            new java.util.Random(1).nextBytes(big);
            for (int i = 0; i < 40; i++) {
                g.seed(0, "big:" + i, SimValue.string(big.clone()));
            }
            List<RespReply> capa = main.call("REPLCONF", "capa", "dragonfly").asArray();
            RawConn f = new RawConn(sim.port());
            f.socket().setReceiveBufferSize(4096);
            f.call("DFLY", "FLOW", capa.get(0).asText(), capa.get(1).asText(), "0");
            assertThat(main.call("DFLY", "SYNC", capa.get(1).asText()).asText()).isEqualTo("OK");
            // Nobody reads flow 0: its writes block, and the master gives up on the session.
            assertThat(sim.awaitCancellation(1, Duration.ofSeconds(20))).isTrue();
            assertThat(sim.cancellations().get(0)).contains("replication timeout");
            assertThat(main.closedByPeerWithin(5000)).isTrue();
            f.close();
        }
    }

    @Test
    void loadingMasterRefusesPingAndDflyButNotReplconf() throws Exception {
        try (DfSim sim = DfSim.generated(DfSimConfig.defaults().withLoading(Duration.ofSeconds(30)));
                RawConn c = new RawConn(sim.port())) {
            assertThat(err(c.call("PING"))).startsWith("LOADING");
            assertThat(c.call("REPLCONF", "listening-port", "0").asText()).isEqualTo("OK");
            List<RespReply> capa = c.call("REPLCONF", "capa", "dragonfly").asArray();
            assertThat(err(c.call("DFLY", "SYNC", capa.get(1).asText()))).startsWith("LOADING");
        }
    }

    @Test
    void authenticationIsRequiredOnEveryConnection() throws Exception {
        try (DfSim sim = DfSim.generated(DfSimConfig.defaults().withAuth("repl", "s3cret"));
                RawConn c = new RawConn(sim.port())) {
            assertThat(err(c.call("PING"))).startsWith("NOAUTH");
            assertThat(err(c.call("AUTH", "repl", "wrong"))).startsWith("WRONGPASS");
            assertThat(c.call("AUTH", "repl", "s3cret").asText()).isEqualTo("OK");
            assertThat(c.call("PING").asText()).isEqualTo("PONG");
        }
    }
}
