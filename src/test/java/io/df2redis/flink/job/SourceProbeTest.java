package io.df2redis.flink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.testing.dfsim.DfSim;
import io.df2redis.testing.dfsim.DfSimConfig;
import io.df2redis.testing.redis.RedisServerProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A source that is not a Dragonfly master gets one sentence saying what was found and what is
 * needed, at submission (the flow-count probe): a Redis, a closed port, a server that does not
 * speak RESP; a Dragonfly master passes.
 */
@Timeout(60)
class SourceProbeTest {
    static JobSettings settings(int port) {
        return JobSettings.fromArgs("--source.url", "redis://127.0.0.1:" + port, "--target.url", "redis://127.0.0.1:1",
                "--source.connect-timeout", "2s");
    }

    @Test
    void aRedisIsNamedAsOne() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.builder().start()) {
            assertThatThrownBy(() -> Df2RedisJob.probeFlows(settings(redis.port()))).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("the source redis://127.0.0.1:" + redis.port() + " is a Redis 7.")
                    .hasMessageContaining("not a Dragonfly").hasMessageContaining("point --source.url at the Dragonfly master");
        }
    }

    @Test
    void aClosedPortCannotBeReached() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int closed = port;
        assertThatThrownBy(() -> Df2RedisJob.probeFlows(settings(closed))).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot reach the source redis://127.0.0.1:" + closed + ": ");
    }

    @Test
    void aServerThatDoesNotSpeakRespIsSaidToBeTheWrongPort() throws Exception {
        try (ServerSocket http = new ServerSocket(0)) {
            Thread t = new Thread(() -> {
                try (Socket c = http.accept()) {
                    c.getInputStream().read(new byte[256]);
                    c.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    c.getOutputStream().flush();
                    Thread.sleep(500);
                } catch (Exception e) {
                    // the test reads what it got
                }
            });
            t.setDaemon(true);
            t.start();
            assertThatThrownBy(() -> Df2RedisJob.probeFlows(settings(http.getLocalPort()))).isInstanceOf(IOException.class)
                    .hasMessageContaining("redis://127.0.0.1:" + http.getLocalPort())
                    .hasMessageContaining("does not speak the Redis protocol");
        }
    }

    @Test
    void aDragonflyMasterPasses() throws Exception {
        try (DfSim sim = DfSim.generated(DfSimConfig.defaults().withFlows(3))) {
            assertThat(Df2RedisJob.probeFlows(settings(sim.port()))).isEqualTo(3);
        }
    }
}
