package io.df2redis.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.testing.redis.RedisClusterProcesses;
import io.df2redis.testing.redis.RedisProcessesExtension;
import io.df2redis.testing.redis.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Commands Redis refuses come back as typed failures naming the key and the reply; never dropped silently. */
@ExtendWith(RedisProcessesExtension.class)
class BadReplyWriterTest {

    @Test
    @Timeout(120)
    void byDefaultTheFirstRefusalFailsTheWriterWithKeyAndReply() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.builder().start();
                RedisWriter writer = RedisWriter.open(server.url())) {
            writer.submit(cmd(0, "n", "SET", "n", "not-a-number"));
            writer.submit(cmd(0, "n", "INCR", "n"));
            assertThatThrownBy(writer::flush).isInstanceOfSatisfying(CommandFailedException.class, e -> {
                CommandFailure f = e.failure();
                assertThat(f.keyText()).isEqualTo("n");
                assertThat(f.reason()).isEqualTo(CommandFailure.Reason.REFUSED);
                assertThat(f.reply()).startsWith("ERR value is not an integer");
                assertThat(f.command().name()).isEqualTo("INCR");
                assertThat(e.getMessage()).contains("INCR", "'n'", "not an integer");
            });
            // The writer stays failed: the caller must notice.
            assertThatThrownBy(() -> writer.submit(cmd(0, "m", "SET", "m", "1"))).isInstanceOf(CommandFailedException.class);
            assertThat(writer.metrics().failuresByReason()).containsEntry("REFUSED:ERR", 1L);
        }
    }

    @Test
    @Timeout(120)
    void reportAndContinueGetsEveryRefusalAndAppliesTheRest() throws Exception {
        List<CommandFailure> failures = new CopyOnWriteArrayList<>();
        try (RedisServerProcess server = RedisServerProcess.builder().start();
                RedisWriter writer = RedisWriter.open(RedisTarget.parse(server.url()),
                        WriterConfig.builder().failureHandler(FailureHandler.reportAndContinue(failures::add)).build())) {
            writer.submit(cmd(0, "s", "SET", "s", "1"));
            writer.submit(cmd(0, "s", "LPUSH", "s", "x"));                                   // WRONGTYPE
            writer.submit(cmd(0, "u", "NOSUCHCOMMAND", "u"));                                // unknown command
            writer.submit(RedisCommand.of(0, b("r"), b("RESTORE"), b("r"), b("0"), b("garbage-payload")));  // bad DUMP payload
            writer.submit(cmd(1, "e", "SET", "e", "1", "EX", "-5"));                         // bad value, db 1
            writer.submit(cmd(0, "ok", "SET", "ok", "yes"));
            writer.flush();

            // db 1 has its own connection: its failure may be reported before or after db 0's,
            // which come in their submission order.
            assertThat(failures).extracting(CommandFailure::keyText).containsExactlyInAnyOrder("s", "u", "r", "e");
            assertThat(failures).filteredOn(f -> f.command().db() == 0).extracting(CommandFailure::keyText)
                    .containsExactly("s", "u", "r");
            java.util.Map<String, CommandFailure> byKey = new java.util.HashMap<>();
            failures.forEach(f -> byKey.put(f.keyText(), f));
            assertThat(byKey.get("s").code()).isEqualTo("WRONGTYPE");
            assertThat(byKey.get("u").code()).isEqualTo("ERR");
            assertThat(byKey.get("u").reply()).containsIgnoringCase("unknown command");
            assertThat(byKey.get("r").code()).isEqualTo("ERR");
            assertThat(byKey.get("r").reply()).contains("DUMP payload");
            assertThat(byKey.get("e").code()).isEqualTo("ERR");
            assertThat(byKey.get("e").command().db()).isEqualTo(1);
            assertThat(failures).allSatisfy(f -> assertThat(f.node()).isEqualTo(server.address()));
            assertThat(server.call("GET", "ok").asText()).isEqualTo("yes");
            assertThat(writer.metrics().failuresByReason()).containsEntry("REFUSED:WRONGTYPE", 1L).containsEntry("REFUSED:ERR", 3L);
            assertThat(writer.metrics().acknowledged()).isEqualTo(2);
        }
    }

    @Test
    @Timeout(120)
    void callerMistakesAreRefusedAtSubmit() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.builder().config("databases", "4").start();
                RedisWriter writer = RedisWriter.open(server.url())) {
            assertThatThrownBy(() -> writer.submit(cmd(7, "k", "SET", "k", "v")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("db 7").hasMessageContaining("'k'");
            assertThatThrownBy(() -> writer.submit(new RedisCommand(0, 1, b("k"), new byte[][] {b("SET"), b("k"), b("v")})))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slot 1");
            assertThatThrownBy(() -> writer.submit(cmd(0, "k", "select", "3")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connection's state");
            assertThatThrownBy(() -> writer.submit(cmd(0, "k", "MULTI")))
                    .isInstanceOf(IllegalArgumentException.class);
            writer.submit(cmd(3, "k", "SET", "k", "v"));
            writer.flush();
            assertThat(writer.metrics().acknowledged()).isEqualTo(1);
        }
    }

    @Test
    @Timeout(180)
    void onAClusterCrossSlotIsATypedFailureAndOtherDatabasesAreRefused() throws Exception {
        List<CommandFailure> failures = new CopyOnWriteArrayList<>();
        try (RedisClusterProcesses cluster = RedisClusterProcesses.start();
                RedisWriter writer = RedisWriter.open(RedisTarget.parse(cluster.url()),
                        WriterConfig.builder().failureHandler(FailureHandler.reportAndContinue(failures::add)).build())) {
            writer.submit(cmd(0, "{a}x", "MSET", "{a}x", "1", "{b}y", "2"));  // two slots in one command
            writer.submit(cmd(0, "{a}x", "MSET", "{a}x", "1", "{a}y", "2"));  // one slot: fine
            writer.submit(cmd(0, "{a}x", "RPUSH", "{a}x", "1"));              // WRONGTYPE on a cluster too
            writer.flush();
            assertThat(failures).hasSize(2);
            assertThat(failures.get(0).code()).isEqualTo("CROSSSLOT");
            assertThat(failures.get(0).keyText()).isEqualTo("{a}x");
            assertThat(failures.get(1).code()).isEqualTo("WRONGTYPE");
            assertThat(failures.get(0).node()).isEqualTo(cluster.primaryOf(Slots.slot(b("{a}x"))).address());
            assertThatThrownBy(() -> writer.submit(cmd(2, "k", "SET", "k", "v")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cluster").hasMessageContaining("db 2");
            assertThat(cluster.primaryOf(Slots.slot(b("{a}y"))).call("GET", "{a}y").asText()).isEqualTo("2");
        }
    }

    static RedisCommand cmd(int db, String key, String... args) {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            a[i] = b(args[i]);
        }
        return RedisCommand.of(db, b(key), a);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
