package io.df2redis.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.testing.redis.RedisProcessesExtension;
import io.df2redis.testing.redis.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A writer closed while its recovery thread is opening a connection leaves nothing connected: the
 * connection that opens after the close is shut down, so nothing the closed writer still held can
 * reach Redis later (a job restarting meanwhile would see old writes land after its own).
 */
@ExtendWith(RedisProcessesExtension.class)
class WriterCloseTest {

    @Test
    @Timeout(60)
    void aConnectionOpenedWhileTheWriterClosesIsShutDown() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.builder().start()) {
            RedisWriter writer = RedisWriter.open(RedisTarget.parse(server.url()), WriterConfig.defaults());
            // Commands stall for a while: the recovery thread's connect (SELECT 1) waits behind the pause.
            server.call("CLIENT", "PAUSE", "1500", "ALL");
            byte[] key = "close:k".getBytes(StandardCharsets.US_ASCII);
            // db 1 has no connection yet: the slot waits while the recovery thread opens one.
            writer.submit(RedisCommand.of(1, key, "SET".getBytes(StandardCharsets.US_ASCII), key, "v".getBytes(StandardCharsets.US_ASCII)));
            Thread.sleep(300);
            writer.close();
            Thread.sleep(2500); // the pause is over, the connect completed
            List<String> clients = server.call("CLIENT", "LIST").asText().lines()
                    .filter(l -> !l.contains("cmd=client|list")).toList();
            assertThat(clients).as("clients left on the server after the writer closed").isEmpty();
            try (RedisConnection c = server.connect()) {
                c.callOk("SELECT", "1");
                assertThat(c.call("EXISTS", "close:k").asLong()).as("a command of the closed writer reached Redis").isZero();
            }
        }
    }
}
