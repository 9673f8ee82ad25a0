package io.df2redis.flink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobSettingsTest {
    private static final String[] URLS = {"--source.url", "redis://127.0.0.1:6379", "--target.url", "redis://127.0.0.1:6380"};

    private static String[] with(String... more) {
        String[] all = new String[URLS.length + more.length];
        System.arraycopy(URLS, 0, all, 0, URLS.length);
        System.arraycopy(more, 0, all, URLS.length, more.length);
        return all;
    }

    @Test
    void defaultsAndKebabCaseEnums() {
        JobSettings s = JobSettings.fromArgs(with("--mode", "snapshot", "--full-sync.target-policy", "fail-if-not-empty", "--target.cluster", "true"));
        assertThat(s.mode()).isEqualTo(Df2RedisOptions.Mode.SNAPSHOT);
        assertThat(s.get(Df2RedisOptions.FULL_SYNC_TARGET_POLICY)).isEqualTo(Df2RedisOptions.TargetPolicy.FAIL_IF_NOT_EMPTY);
        assertThat(s.get(Df2RedisOptions.TARGET_CLUSTER)).isEqualTo(Df2RedisOptions.TargetMode.CLUSTER);
        assertThat(s.get(Df2RedisOptions.WRITER_BATCH_MAX_COMMANDS)).isEqualTo(512);
        assertThat(s.sourceUrl().getPort()).isEqualTo(6379);
    }

    @Test
    void yamlFileWithNestedKeysAndFlagsWin(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("df2redis.yaml");
        Files.writeString(yaml, String.join("\n",
                "source:",
                "  url: redis://10.0.0.1:6379",
                "writer:",
                "  batch:",
                "    max-commands: 100",
                "db-map: \"0:0,1:3\"",
                "mode: replicate",
                ""));
        JobSettings s = JobSettings.fromArgs("--config", yaml.toString(), "--target.url", "redis://h:1", "--writer.batch.max-commands", "200");
        assertThat(s.sourceUrl().getHost()).isEqualTo("10.0.0.1");
        assertThat(s.get(Df2RedisOptions.WRITER_BATCH_MAX_COMMANDS)).isEqualTo(200);
        assertThat(s.dbMapping().target(1, false, new byte[0])).isEqualTo(3);
        assertThat(s.dbMapping().target(0, false, new byte[0])).isEqualTo(0);
    }

    @Test
    void theWritersOutstandingBudgetIsASetting() {
        io.df2redis.redis.WriterConfig defaults = WriterSettings.writerConfig(JobSettings.fromArgs(with()), null);
        assertThat(defaults.maxOutstandingCommands()).isEqualTo(16384);
        assertThat(defaults.maxOutstandingBytes()).isEqualTo(16L << 20);
        io.df2redis.redis.WriterConfig set = WriterSettings.writerConfig(JobSettings.fromArgs(
                with("--writer.max-outstanding.commands", "1000", "--writer.max-outstanding.bytes", "123456")), null);
        assertThat(set.maxOutstandingCommands()).isEqualTo(1000);
        assertThat(set.maxOutstandingBytes()).isEqualTo(123456);
        assertThatThrownBy(() -> JobSettings.fromArgs(with("--writer.max-outstanding.commands", "0")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("--writer.max-outstanding.commands");
        assertThatThrownBy(() -> JobSettings.fromArgs(with("--writer.max-outstanding.commands", "5000000")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("--writer.max-outstanding.commands")
                .hasMessageContaining("at most");
        assertThatThrownBy(() -> JobSettings.fromArgs(with("--writer.max-outstanding.bytes", "0")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("--writer.max-outstanding.bytes");
    }

    @Test
    void invalidSettingsNameTheSetting() {
        assertThatThrownBy(() -> JobSettings.fromArgs("--target.url", "redis://h:1"))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("--source.url").hasMessageContaining("required");
        assertThatThrownBy(() -> JobSettings.fromArgs(with("--mode", "copy")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("--mode");
        assertThatThrownBy(() -> JobSettings.fromArgs(with("--writer.batch.max-commands", "0")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("--writer.batch.max-commands");
        assertThatThrownBy(() -> JobSettings.fromArgs(with("--no.such.key", "1")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("--no.such.key").hasMessageContaining("unknown");
        assertThatThrownBy(() -> JobSettings.fromArgs("--source.url", "http://h:1", "--target.url", "redis://h:1"))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("--source.url");
        assertThatThrownBy(() -> JobSettings.fromArgs(with("--db-map", "0:1,1:1")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("--db-map").hasMessageContaining("allow-merge");
        assertThat(JobSettings.fromArgs(with("--db-map", "0:1,1:1", "--db-map.allow-merge", "true")).dbMapping().target(1, false, new byte[0])).isEqualTo(1);
        assertThatThrownBy(() -> JobSettings.fromArgs(with("--db-map", "0-1")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("--db-map");
        assertThatThrownBy(() -> JobSettings.fromArgs(with("--translate.dragonfly-types.json", "maybe")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("--translate.dragonfly-types.json");
        assertThatThrownBy(() -> JobSettings.fromArgs(with("--translate.no-such", "1")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("--translate.no-such");
        assertThat(JobSettings.fromArgs(with("--translate.snapshot-write", "native")).asMap())
                .containsEntry("translate.snapshot-write", "native");
        assertThatThrownBy(() -> JobSettings.fromArgs(with("--flow.buffer.bytes", "ten")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("--flow.buffer.bytes");
    }
}
