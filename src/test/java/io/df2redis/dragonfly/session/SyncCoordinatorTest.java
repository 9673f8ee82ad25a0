package io.df2redis.dragonfly.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SyncCoordinatorTest {
    private static final SessionInfo SESSION = new SessionInfo("a".repeat(40), "SYNC3", 3, 5, "a".repeat(40));

    @Test
    void fullSyncGoesSyncThenStartStableAfterEveryStaticDataEnd() {
        SyncCoordinator c = new SyncCoordinator(1, 3, true);
        assertThat(c.onFlowOpened(0, SyncKind.FULL).action()).isEqualTo(SyncAction.WAIT);
        assertThatThrownBy(c::beginSync).isInstanceOf(ForbiddenOrderException.class).hasMessageContaining("1/3");
        c.onFlowOpened(2, SyncKind.FULL);
        assertThat(c.onFlowOpened(1, SyncKind.FULL).action()).isEqualTo(SyncAction.SEND_SYNC);
        assertThatThrownBy(c::beginStartStable).isInstanceOf(ForbiddenOrderException.class)
                .hasMessageContaining("without a successful DFLY SYNC");
        c.beginSync();
        assertThat(c.next().action()).isEqualTo(SyncAction.WAIT);
        assertThatThrownBy(c::beginSync).isInstanceOf(ForbiddenOrderException.class).hasMessageContaining("already sent");
        c.syncSucceeded();
        assertThat(c.onStaticDataEnded(1).action()).isEqualTo(SyncAction.WAIT);
        assertThat(c.onStaticDataEnded(0).action()).isEqualTo(SyncAction.WAIT);
        assertThatThrownBy(c::beginStartStable).isInstanceOf(ForbiddenOrderException.class)
                .hasMessageContaining("flow 2 has not reached its static-data end");
        assertThat(c.onStaticDataEnded(2).action()).isEqualTo(SyncAction.SEND_STARTSTABLE);
        c.beginStartStable();
        assertThatThrownBy(c::beginStartStable).isInstanceOf(ForbiddenOrderException.class).hasMessageContaining("already sent");
        c.startStableSucceeded();
        assertThat(c.next().action()).isEqualTo(SyncAction.STREAMING);
        assertThat(c.isFullSync()).isTrue();
    }

    @Test
    void allPartialGoesStraightToStartStableAndNeverSync() {
        SyncCoordinator c = new SyncCoordinator(2, 3, true);
        OptionalLong[] plan = c.planFlows(SESSION, new ResumePoint(SESSION.masterId(), new long[] {5, 6, 7}));
        assertThat(plan).containsExactly(OptionalLong.of(5), OptionalLong.of(6), OptionalLong.of(7));
        c.onFlowOpened(0, SyncKind.PARTIAL);
        c.onFlowOpened(1, SyncKind.PARTIAL);
        assertThat(c.onFlowOpened(2, SyncKind.PARTIAL).action()).isEqualTo(SyncAction.SEND_STARTSTABLE);
        assertThatThrownBy(c::beginSync).isInstanceOf(ForbiddenOrderException.class).hasMessageContaining("PARTIAL");
        c.beginStartStable();
        c.startStableSucceeded();
        assertThat(c.next().action()).isEqualTo(SyncAction.STREAMING);
    }

    @Test
    void mixOfFullAndPartialRestartsWithFullSync() {
        SyncCoordinator c = new SyncCoordinator(3, 3, true);
        c.planFlows(SESSION, new ResumePoint(SESSION.masterId(), new long[] {5, 6, 7}));
        c.onFlowOpened(0, SyncKind.PARTIAL);
        c.onFlowOpened(1, SyncKind.FULL);
        SyncCoordinator.Decision d = c.onFlowOpened(2, SyncKind.PARTIAL);
        assertThat(d.action()).isEqualTo(SyncAction.RESTART_FULL);
        assertThat(d.reason()).contains("mix");
        assertThatThrownBy(c::beginSync).isInstanceOf(ForbiddenOrderException.class);
        assertThatThrownBy(c::beginStartStable).isInstanceOf(ForbiddenOrderException.class);
        assertThat(c.hasEnded()).isTrue();
    }

    @Test
    void partialNotAskedForOrNotSupportedIsNotTrusted() {
        SyncCoordinator c = new SyncCoordinator(4, 2, true);
        c.planFlows(SESSION.withFlows(2), null);
        assertThat(c.onFlowOpened(0, SyncKind.PARTIAL).action()).isEqualTo(SyncAction.RESTART_FULL);

        SyncCoordinator old = new SyncCoordinator(5, 2, false);
        OptionalLong[] plan = old.planFlows(SESSION.withFlows(2), new ResumePoint(SESSION.masterId(), new long[] {3, 4}));
        assertThat(plan).containsExactly(OptionalLong.empty(), OptionalLong.empty());
    }

    @Test
    void planAsksForLsnsOnlyFromTheSameMasterWithTheSameFlowCount() {
        SyncCoordinator other = new SyncCoordinator(6, 3, true);
        assertThat(other.planFlows(SESSION, new ResumePoint("b".repeat(40), new long[] {1, 2, 3})))
                .containsOnly(OptionalLong.empty());
        SyncCoordinator resized = new SyncCoordinator(7, 3, true);
        assertThat(resized.planFlows(SESSION, new ResumePoint(SESSION.masterId(), new long[] {1, 2})))
                .containsOnly(OptionalLong.empty());
        assertThatThrownBy(() -> resized.planFlows(SESSION, null)).isInstanceOf(ForbiddenOrderException.class);
    }

    @Test
    void lostFlowOrFailedSyncEndsTheEpoch() {
        SyncCoordinator c = new SyncCoordinator(8, 2, true);
        c.onFlowOpened(0, SyncKind.FULL);
        c.onFlowOpened(1, SyncKind.FULL);
        c.beginSync();
        assertThat(c.syncFailed("-ERR invalid state").action()).isEqualTo(SyncAction.RESTART);
        assertThatThrownBy(c::beginStartStable).isInstanceOf(ForbiddenOrderException.class);

        SyncCoordinator d = new SyncCoordinator(9, 2, true);
        d.onFlowOpened(0, SyncKind.FULL);
        assertThat(d.onFlowLost(1, "connection reset").action()).isEqualTo(SyncAction.RESTART);
        assertThat(d.onFlowOpened(1, SyncKind.FULL).action()).isEqualTo(SyncAction.RESTART);
    }

    @Test
    void flushInsideFullSyncForcesAFullRestart() {
        SyncCoordinator c = new SyncCoordinator(10, 1, true);
        c.onFlowOpened(0, SyncKind.FULL);
        c.beginSync();
        c.syncSucceeded();
        assertThat(c.onFullSyncInvalidated(0, "FLUSHALL in a journal blob").action()).isEqualTo(SyncAction.RESTART_FULL);
        assertThat(c.onStaticDataEnded(0).action()).isEqualTo(SyncAction.RESTART_FULL);
    }

    @Test
    void staticDataEndBeforeSyncIsAProtocolError() {
        SyncCoordinator c = new SyncCoordinator(11, 1, true);
        c.onFlowOpened(0, SyncKind.FULL);
        assertThat(c.onStaticDataEnded(0).action()).isEqualTo(SyncAction.RESTART);
    }
}
