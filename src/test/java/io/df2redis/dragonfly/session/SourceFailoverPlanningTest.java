package io.df2redis.dragonfly.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.testing.dfsim.DfSim;
import io.df2redis.testing.dfsim.DfSimConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pieces of a source failover: several addresses in {@code source.url}, finding the one that is
 * the master (waiting for a promotion, bounded), and planning a resume from another master's
 * positions with the failover form only where the master can grant it.
 */
@Timeout(60)
class SourceFailoverPlanningTest {
    @Test
    void severalAddressesShareCredentialsAndTls() {
        List<DragonflyEndpoint> all = DragonflyEndpoint.parseAll("rediss://app:s%40cret@df-a:6380, df-b:6381,df-c");
        assertThat(all).extracting(DragonflyEndpoint::host).containsExactly("df-a", "df-b", "df-c");
        assertThat(all).extracting(DragonflyEndpoint::port).containsExactly(6380, 6381, 6379);
        assertThat(all).allSatisfy(e -> {
            assertThat(e.tls()).isTrue();
            assertThat(e.user()).isEqualTo("app");
            assertThat(e.password()).isEqualTo("s@cret");
        });
        assertThat(DragonflyEndpoint.parseAll("redis://h:1")).hasSize(1);
        assertThatThrownBy(() -> DragonflyEndpoint.parseAll("redis://h:1,,h:2")).hasMessageContaining("empty address");
    }

    @Test
    void anotherMastersPositionsAreResumedWithTheFailoverFormWhereSupported() {
        SessionInfo now = new SessionInfo("b".repeat(40), "SYNC7", 2, 5, "b".repeat(40));
        ResumePoint of = new ResumePoint("a".repeat(40), new long[] {17, 42});
        SyncCoordinator failover = new SyncCoordinator(7, 2, true, true);
        OptionalLong[] plan = failover.planFlows(now, of);
        assertThat(plan).containsExactly(OptionalLong.of(17), OptionalLong.of(42));
        assertThat(failover.failoverFrom()).isEqualTo("a".repeat(40));

        SyncCoordinator old = new SyncCoordinator(7, 2, true, false);
        assertThat(old.planFlows(now, of)).containsOnly(OptionalLong.empty());
        assertThat(old.failoverFrom()).isNull();

        SyncCoordinator same = new SyncCoordinator(7, 2, true, true);
        assertThat(same.planFlows(now, new ResumePoint("b".repeat(40), new long[] {3, 4}))).containsExactly(OptionalLong.of(3), OptionalLong.of(4));
        assertThat(same.failoverFrom()).as("the same master: the plain form").isNull();
    }

    @Test
    void theMasterIsFoundAmongTheAddressesBeforeAndAfterAPromotion() throws Exception {
        try (DfSim sim = DfSim.generated(DfSimConfig.defaults().withFlows(2))) {
            int replica = sim.replicaPort();
            List<DragonflyEndpoint> both = List.of(DragonflyEndpoint.plain("127.0.0.1", replica), DragonflyEndpoint.plain("127.0.0.1", sim.port()));
            assertThat(MasterLocator.find(both, ConnectConfig.defaults(), Duration.ofSeconds(5)).port()).isEqualTo(sim.port());
            assertThatThrownBy(() -> MasterLocator.find(List.of(both.get(0), DragonflyEndpoint.plain("127.0.0.1", replica)),
                    ConnectConfig.defaults(), Duration.ofMillis(600))).isInstanceOf(IOException.class)
                    .hasMessageContaining("no Dragonfly master among the source addresses")
                    .hasMessageContaining("a replica of 127.0.0.1:" + sim.port());
            sim.failoverToReplica();
            assertThat(MasterLocator.find(both, ConnectConfig.defaults(), Duration.ofSeconds(5)).port()).isEqualTo(replica);
        }
    }
}
