package io.df2redis.dragonfly.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.testing.dfsim.DfSim;
import io.df2redis.testing.dfsim.DfSimConfig;
import io.df2redis.testing.dfsim.ReplayScript;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client against a replay of a real v1.40 master's sessions: the handshake, FLOW commands and
 * order of SYNC/STARTSTABLE must be exactly what the recorder sent (the replay refuses anything
 * else), and parsing the recorded bytes must end at the master's own next LSNs.
 */
@Timeout(60)
class RecordedSessionTest {

    private static final class Counting implements ReplicationSession.Listener {
        final AtomicLong events = new AtomicLong();
        final AtomicLong globals = new AtomicLong();

        @Override
        public void onEvent(int flow, FlowEvent event) {
            events.incrementAndGet();
        }

        @Override
        public void onGlobalCommand(FlowEvent.GlobalCommand command) {
            globals.incrementAndGet();
        }
    }

    private static void awaitApplied(ReplicationSession s, long[] want) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Arrays.equals(s.appliedLsn(), want) && System.nanoTime() < end) {
            assertThat(s.failure()).isNull();
            Thread.sleep(10);
        }
        assertThat(s.appliedLsn()).containsExactly(want);
    }

    @ParameterizedTest
    @ValueSource(strings = {"types-basic", "big-values", "journal-rewrites", "compression-lzf", "compression-zstd",
        "compression-none", "no-tagged-chunks", "dragonfly-types"})
    void fullSessionOverRecordedBytesEndsAtTheMastersNextLsns(String name) throws Exception {
        ReplayScript rec = ReplayScript.of(name);
        try (DfSim sim = DfSim.replay(DfSimConfig.defaults(), List.of(rec))) {
            Counting listener = new Counting();
            ReplicationSession s = new ReplicationSession(sim.endpoint(), ReplicationSession.Config.defaults().withMaxEpochs(1),
                    listener);
            try {
                s.start(null);
                assertThat(s.awaitStable(Duration.ofSeconds(30))).isTrue();
                awaitApplied(s, rec.nextLsn());
                assertThat(listener.events.get()).isPositive();
            } finally {
                s.close();
            }
            assertThat(sim.violations()).isEmpty();
            if (name.equals("journal-rewrites")) {
                // FLUSHDB and FLUSHALL reached every flow and were applied once each.
                assertThat(listener.globals.get()).isEqualTo(2);
            }
        }
    }

    @Test
    void partialResumeOverTheRecordedSecondSession() throws Exception {
        ReplayScript s1 = ReplayScript.of("partial-sync/session-1");
        ReplayScript s2 = ReplayScript.of("partial-sync/session-2");
        try (DfSim sim = DfSim.replay(DfSimConfig.defaults(), List.of(s1, s2))) {
            ReplicationSession first = new ReplicationSession(sim.endpoint(), ReplicationSession.Config.defaults(), new Counting());
            ResumePoint resume;
            try {
                first.start(null);
                assertThat(first.awaitStable(Duration.ofSeconds(30))).isTrue();
                awaitApplied(first, s1.nextLsn());
                resume = first.resumePoint();
            } finally {
                first.close();
            }
            assertThat(resume).isEqualTo(new ResumePoint(s1.masterId(), s1.nextLsn()));
            Counting listener = new Counting();
            ReplicationSession second = new ReplicationSession(sim.endpoint(), ReplicationSession.Config.defaults(), listener);
            try {
                second.start(resume);
                assertThat(second.awaitStable(Duration.ofSeconds(30))).isTrue();
                awaitApplied(second, s2.nextLsn());
            } finally {
                second.close();
            }
            // The replay refuses any FLOW that differs from the recorded "DFLY FLOW <id> SYNC2 <i> <lsn>".
            assertThat(sim.violations()).isEmpty();
            assertThat(sim.events()).anyMatch(e -> e.contains("SYNC2 flow 0 registered PARTIAL from 6"));
        }
    }
}
