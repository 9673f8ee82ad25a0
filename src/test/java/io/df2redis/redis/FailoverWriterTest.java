package io.df2redis.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.testing.redis.RedisClusterProcesses;
import io.df2redis.testing.redis.RedisProcessesExtension;
import io.df2redis.testing.redis.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Primaries change while the writer writes: coordinated failover, and a primary killed with SIGKILL. */
@ExtendWith(RedisProcessesExtension.class)
class FailoverWriterTest {

    @Test
    @Timeout(300)
    void coordinatedFailoverWhileWritingLosesNothing() throws Exception {
        try (RedisClusterProcesses cluster = RedisClusterProcesses.start();
                RedisWriter writer = RedisWriter.open(cluster.url())) {
            MixedWorkload w = new MixedWorkload(MixedWorkload.keyNames("fo:", 20_000), 1, 5, writer.capabilities().restoreRdbVersion(), false);
            RedisServerProcess oldPrimary = cluster.primaries().get(0);
            RedisServerProcess replica = cluster.replicasOf(oldPrimary).get(0);
            try (BackgroundWriter bg = new BackgroundWriter(writer, w::next)) {
                bg.awaitSubmitted(50_000);
                cluster.failover(replica);
                bg.awaitSubmitted(bg.submitted() + 50_000);
                // And back, so that both directions ran under load.
                cluster.failover(oldPrimary);
                bg.awaitSubmitted(bg.submitted() + 50_000);
                bg.stopAndFlush();
            }
            WriterMetrics m = writer.metrics();
            System.out.println(m);
            assertThat(m.moved()).as("writes to the demoted primary were redirected").isPositive();
            assertThat(m.failed()).isZero();
            assertThat(m.possibleLosses()).isZero();
            assertThat(m.unknownOutcomeResends()).isZero();
            assertThat(m.replayedAfterEarlierFailure()).isZero();
            assertThat(m.acknowledged()).isEqualTo(w.emitted());
            try (SlotConnections nodes = SlotConnections.of(cluster)) {
                assertThat(w.verify(nodes)).isEmpty();
            }
        }
    }

    /**
     * Writes unique keys; a flush that returns confirms every key before it. The primary is
     * SIGKILLed mid-stream; its replica takes over (and the killed node comes back as a replica).
     */
    private static final class UniqueKeys {
        private final RedisWriter writer;
        private final List<String> confirmed = new ArrayList<>();
        private final List<String> sinceFlush = new ArrayList<>();
        private long next;
        int failedFlushes;

        UniqueKeys(RedisWriter writer) {
            this.writer = writer;
        }

        /** Writes {@code n} new keys in rounds of 500, flushing after each round. */
        void write(int n) throws InterruptedException {
            for (int i = 0; i < n; i++) {
                String k = "u:" + next++;
                byte[] kb = k.getBytes(StandardCharsets.UTF_8);
                writer.submit(RedisCommand.of(0, kb, b("SET"), kb, b(k)));
                sinceFlush.add(k);
                if (sinceFlush.size() == 500) {
                    flush();
                }
            }
        }

        void flush() throws InterruptedException {
            try {
                writer.flush();
                confirmed.addAll(sinceFlush);
                sinceFlush.clear();
            } catch (ReplicationNotConfirmedException e) {
                // Not confirmed: these keys are not counted; a later successful flush does not confirm them either
                // (WAIT covers later writes, but these may have been lost with the old primary).
                failedFlushes++;
                sinceFlush.clear();
            }
        }

        List<String> missing(SlotConnections nodes) throws java.io.IOException {
            List<String> out = new ArrayList<>();
            for (String k : confirmed) {
                byte[] kb = k.getBytes(StandardCharsets.UTF_8);
                var r = nodes.apply(Slots.slot(kb)).call(b("GET"), kb);
                if (!(r instanceof io.df2redis.resp.RespReply.Bulk v) || !v.text().equals(k)) {
                    out.add(k);
                }
            }
            return out;
        }
    }

    @Test
    @Timeout(300)
    void primaryKilledWithoutWaitRecoversAndReportsThePossibleLoss() throws Exception {
        List<PossibleLoss> losses = new CopyOnWriteArrayList<>();
        FailureHandler handler = new FailureHandler() {
            @Override
            public Decision onCommandFailure(CommandFailure f) {
                return Decision.FAIL;
            }

            @Override
            public Decision onPossibleLoss(PossibleLoss loss) {
                losses.add(loss);
                return Decision.CONTINUE;
            }
        };
        try (RedisClusterProcesses cluster = RedisClusterProcesses.start(3, 1, 2000, b -> { });
                RedisWriter writer = RedisWriter.open(RedisTarget.parse(cluster.url()), WriterConfig.builder().failureHandler(handler).build())) {
            UniqueKeys u = new UniqueKeys(writer);
            u.write(20_000);
            RedisServerProcess victim = cluster.primaries().get(1);
            BitSet victimSlots = cluster.slotsOf(victim);
            Thread killer = new Thread(() -> {
                try {
                    Thread.sleep(200);
                    cluster.killPrimary(victim);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            killer.start();
            u.write(40_000); // goes on through the kill and the promotion
            killer.join();
            u.write(20_000); // after recovery
            u.flush();

            WriterMetrics m = writer.metrics();
            System.out.println(m + " losses " + losses);
            assertThat(m.connectionsLost()).isPositive();
            assertThat(m.failed()).isZero();
            assertThat(losses).as("the writer reports that the killed primary may have lost acknowledged writes")
                    .anySatisfy(l -> assertThat(l.node()).isEqualTo(victim.address()));
            assertThat(m.possibleLosses()).isEqualTo(losses.size());
            try (SlotConnections nodes = SlotConnections.of(cluster)) {
                List<String> missing = u.missing(nodes);
                // Without WAIT, a write the primary acknowledged may not have reached its replica: it can be
                // gone, but only from the killed primary's slots, and only with the loss reported above.
                for (String k : missing) {
                    assertThat(victimSlots.get(Slots.slot(b(k)))).as("missing key %s is in the killed primary's slots", k).isTrue();
                }
                System.out.println("confirmed keys missing after the SIGKILL without WAIT: " + missing.size());
            }
        }
    }

    @Test
    @Timeout(300)
    void primaryKilledWithWaitLosesNoConfirmedWrite() throws Exception {
        FailureHandler handler = new FailureHandler() {
            @Override
            public Decision onCommandFailure(CommandFailure f) {
                return Decision.FAIL;
            }

            @Override
            public Decision onPossibleLoss(PossibleLoss loss) {
                return Decision.CONTINUE; // reported through flush's ReplicationNotConfirmedException
            }
        };
        try (RedisClusterProcesses cluster = RedisClusterProcesses.start(3, 1, 2000, b -> { });
                RedisWriter writer = RedisWriter.open(RedisTarget.parse(cluster.url()), WriterConfig.builder()
                        .waitForReplicas(1, Duration.ofMillis(500)).failureHandler(handler).build())) {
            UniqueKeys u = new UniqueKeys(writer);
            u.write(20_000);
            RedisServerProcess victim = cluster.primaries().get(2);
            Thread killer = new Thread(() -> {
                try {
                    Thread.sleep(200);
                    cluster.killPrimary(victim);
                    cluster.restart(victim); // back as a replica: the new primary can satisfy WAIT 1 again
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            killer.start();
            u.write(40_000);
            killer.join();
            u.write(20_000);
            u.flush();

            WriterMetrics m = writer.metrics();
            System.out.println(m + " failed flushes " + u.failedFlushes + ", confirmed " + u.confirmed.size());
            assertThat(m.waits()).isPositive();
            assertThat(m.connectionsLost()).isPositive();
            assertThat(m.failed()).isZero();
            assertThat(u.confirmed).hasSizeGreaterThan(30_000);
            try (SlotConnections nodes = SlotConnections.of(cluster)) {
                assertThat(u.missing(nodes)).as("keys confirmed by a flush with WAIT").isEmpty();
            }
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
