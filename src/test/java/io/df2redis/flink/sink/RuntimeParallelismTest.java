package io.df2redis.flink.sink;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.flink.job.JobSettings;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.junit.jupiter.api.Test;

/**
 * Slots belong to writers by the key-group assignment the job was built for (the readers address
 * FLUSHALL copies by it): a sink run at another parallelism or max parallelism (adaptive
 * scheduler, parallelism override) fails at once, naming the setting, without restarts.
 */
class RuntimeParallelismTest {
    private static final RedisSink.Config BUILT = new RedisSink.Config(JobSettings.fromArgs(new String[] {
        "--source.url", "redis://127.0.0.1:1", "--target.url", "redis://127.0.0.1:2"}), 2, 1024);

    @Test
    void theParallelismTheJobWasBuiltForPasses() {
        assertThatCode(() -> RedisSinkWriter.checkRuntimeParallelism(2, 1024, BUILT)).doesNotThrowAnyException();
    }

    @Test
    void anotherParallelismOrMaxParallelismFailsNamingTheSetting() {
        assertThatThrownBy(() -> RedisSinkWriter.checkRuntimeParallelism(3, 1024, BUILT)).isInstanceOf(SuppressRestartsException.class)
                .hasStackTraceContaining("parallelism 3").hasStackTraceContaining("sink.parallelism");
        assertThatThrownBy(() -> RedisSinkWriter.checkRuntimeParallelism(2, 128, BUILT)).isInstanceOf(SuppressRestartsException.class)
                .hasStackTraceContaining("max parallelism 128");
    }
}
