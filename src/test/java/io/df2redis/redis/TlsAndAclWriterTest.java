package io.df2redis.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.testing.redis.RedisProcessesExtension;
import io.df2redis.testing.redis.RedisServerProcess;
import io.df2redis.testing.redis.TlsFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** rediss:// targets with certificates made by the test, and ACL users with limited rights. */
@ExtendWith(RedisProcessesExtension.class)
class TlsAndAclWriterTest {

    @Test
    @Timeout(120)
    void tlsTargetWithClientCertificate(@TempDir Path dir) throws Exception {
        TlsFiles tls = TlsFiles.create(dir.resolve("tls"));
        try (RedisServerProcess server = RedisServerProcess.builder().tls(tls, true).start()) {
            assertThat(server.url()).startsWith("rediss://");
            RedisTarget target = RedisTarget.parse(server.url()).withTls(tls.clientOptions());
            try (RedisWriter writer = RedisWriter.open(target, WriterConfig.builder().connectionsPerNode(2).build())) {
                MixedWorkload w = new MixedWorkload(MixedWorkload.keyNames("tls:", 2000), 2, 3, writer.capabilities().restoreRdbVersion(), false);
                for (int i = 0; i < 50_000; i++) {
                    writer.submit(w.next());
                }
                writer.flush();
                assertThat(writer.metrics().acknowledged()).isEqualTo(50_000);
                try (SlotConnections nodes = SlotConnections.of(server)) {
                    assertThat(w.verify(nodes)).isEmpty();
                }
            }
            // The server's certificate is not trusted by the JVM's defaults…
            assertThatThrownBy(() -> RedisWriter.open(RedisTarget.parse(server.url()), WriterConfig.defaults()))
                    .isInstanceOf(IOException.class).hasMessageContaining("cannot connect");
            // …and the server wants a client certificate.
            assertThatThrownBy(() -> RedisWriter.open(RedisTarget.parse(server.url()).withTls(TlsOptions.caFile(tls.caCert())), WriterConfig.defaults()))
                    .isInstanceOf(IOException.class);
            // A plain connection to the TLS port is not a Redis conversation.
            assertThatThrownBy(() -> RedisWriter.open(RedisTarget.parse("redis://127.0.0.1:" + server.port()).withReplyTimeout(java.time.Duration.ofSeconds(2)), WriterConfig.defaults()))
                    .isInstanceOf(Exception.class);
        }
    }

    @Test
    @Timeout(120)
    void aclUserWritesItsKeysAndGetsTypedRefusalsForOthers() throws Exception {
        try (RedisServerProcess server = RedisServerProcess.builder()
                .password("adminpw")
                // A migration user: every data command on app:* keys, no admin commands, no flushes.
                .aclUser("migrator", "m1gr@te", "~app:*", "&*", "+@all", "-@admin", "-flushall", "-flushdb")
                .start()) {
            List<CommandFailure> failures = new CopyOnWriteArrayList<>();
            RedisTarget target = RedisTarget.parse(server.url("migrator", "m1gr@te"));
            try (RedisWriter writer = RedisWriter.open(target,
                    WriterConfig.builder().failureHandler(FailureHandler.reportAndContinue(failures::add)).build())) {
                TargetCapabilities caps = writer.capabilities();
                assertThat(caps.version()).startsWith("7.");
                assertThat(caps.restoreRdbVersion()).isEqualTo(10);
                // No key it may write for a probe, no MODULE LIST, no CONFIG: it falls back and says so.
                assertThat(caps.restoreRdbVersionFromDump()).isFalse();
                assertThat(caps.databases()).isEqualTo(-1);

                MixedWorkload w = new MixedWorkload(MixedWorkload.keyNames("app:", 2000), 3, 9, caps.restoreRdbVersion(), false);
                for (int i = 0; i < 30_000; i++) {
                    writer.submit(w.next());
                }
                writer.submit(BadReplyWriterTest.cmd(0, "other:1", "SET", "other:1", "x"));
                writer.flush();
                assertThat(failures).singleElement().satisfies(f -> {
                    assertThat(f.keyText()).isEqualTo("other:1");
                    assertThat(f.code()).isEqualTo("NOPERM");
                });
                assertThat(writer.metrics().acknowledged()).isEqualTo(30_000);
                try (SlotConnections nodes = SlotConnections.of(server)) {
                    assertThat(w.verify(nodes)).isEmpty();
                }
                // A database that does not exist is found without CONFIG (SELECT on a control connection).
                assertThatThrownBy(() -> writer.submit(BadReplyWriterTest.cmd(40, "app:x", "SET", "app:x", "1")))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("db 40");
                assertThatThrownBy(() -> writer.flushAll()).isInstanceOf(IOException.class).hasMessageContaining("NOPERM");
            }
            assertThatThrownBy(() -> RedisWriter.open(RedisTarget.parse(server.url("migrator", "wrong")), WriterConfig.defaults()))
                    .isInstanceOfSatisfying(RedisReplyException.class, e -> assertThat(e.reply()).startsWith("WRONGPASS"));
        }
    }
}
