package io.df2redis.testing.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The harness itself: processes start where promised and are gone when it says so. */
@ExtendWith(RedisProcessesExtension.class)
class RedisHarnessTest {

    @Test
    @Timeout(60)
    void aServerRunsOnLoopbackAndCloseStopsItsProcessAndDirectory() throws Exception {
        RedisServerProcess s = RedisServerProcess.builder().start();
        long pid = s.pid();
        Path dir = s.dir();
        assertThat(ProcessHandle.of(pid)).map(ProcessHandle::isAlive).contains(true);
        assertThat(s.call("CONFIG", "GET", "bind").asArray().get(1).asText()).isEqualTo("127.0.0.1");
        assertThat(s.call("CONFIG", "GET", "logfile").asArray().get(1).asText()).isEqualTo(s.logFile().toString()).startsWith("/");
        s.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isIn(Optional.empty(), Optional.of(false));
        assertThat(Files.exists(dir)).isFalse();
    }

    @Test
    @Timeout(60)
    void leftoversAreKilledByPidAndRestartKeepsThePort() throws Exception {
        long mark = ProcessReaper.mark();
        RedisServerProcess s = RedisServerProcess.builder().start();
        int port = s.port();
        s.kill();
        assertThat(s.isRunning()).isFalse();
        s.restart();
        assertThat(s.port()).isEqualTo(port);
        assertThat(s.call("PING").asText()).isEqualTo("PONG");
        long pid = s.pid();
        assertThat(ProcessReaper.killStartedAfter(mark)).hasSize(1);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isIn(Optional.empty(), Optional.of(false));
        assertThat(Files.exists(s.dir())).as("the reaper removes the harness's directory too").isFalse();
    }

    @Test
    @Timeout(120)
    void aClusterHasThreePrimariesWithOneReplicaEachAndMovesSlots() throws Exception {
        try (RedisClusterProcesses c = RedisClusterProcesses.start()) {
            assertThat(c.nodes()).hasSize(6);
            assertThat(c.primaries()).hasSize(3);
            int covered = 0;
            for (RedisServerProcess p : c.primaries()) {
                assertThat(c.replicasOf(p)).hasSize(1);
                covered += c.slotsOf(p).cardinality();
            }
            assertThat(covered).isEqualTo(16384);
            RedisServerProcess from = c.primaryOf(100);
            RedisServerProcess to = c.primaries().stream().filter(p -> p != from).findFirst().orElseThrow();
            for (int i = 0; i < 5; i++) {
                // keys of slot 100: "{" + tag + "}" with CRC16 % 16384 == 100
                String key = keyInSlot(100, i);
                assertThat(from.call("SET", key, "v").asText()).isEqualTo("OK");
            }
            assertThat(c.migrateSlot(100, to, () -> { })).isEqualTo(5);
            assertThat(c.primaryOf(100)).isSameAs(to);
            assertThat(to.call("CLUSTER", "COUNTKEYSINSLOT", "100").asLong()).isEqualTo(5);
        }
    }

    private static String keyInSlot(int slot, int n) {
        for (int tag = 0; ; tag++) {
            String k = "k" + n + "{" + tag + "}";
            if (io.df2redis.redis.Slots.slot(k.getBytes(java.nio.charset.StandardCharsets.UTF_8)) == slot) {
                return "k" + n + "{" + tag + "}";
            }
        }
    }
}
