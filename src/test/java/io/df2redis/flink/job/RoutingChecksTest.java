package io.df2redis.flink.job;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The job refuses what breaks its ACK: unaligned checkpoints (enabled in code or in the Flink configuration). */
class RoutingChecksTest {
    private static JobSettings settings() {
        return JobSettings.fromArgs(new String[] {"--source.url", "redis://127.0.0.1:1", "--target.url", "redis://127.0.0.1:2"});
    }

    @Test
    void unalignedCheckpointsAreRefusedNamingTheSetting() {
        Configuration c = new Configuration();
        c.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        env.enableCheckpointing(1000);
        assertThatThrownBy(() -> Df2RedisJob.build(env, settings(), 2)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("execution.checkpointing.unaligned").hasMessageContaining("aligned checkpoints");
        StreamExecutionEnvironment inCode = StreamExecutionEnvironment.getExecutionEnvironment();
        inCode.enableCheckpointing(1000);
        inCode.getCheckpointConfig().enableUnalignedCheckpoints();
        assertThatThrownBy(() -> Df2RedisJob.build(inCode, settings(), 2)).isInstanceOf(InvalidSettingException.class);
    }
}
