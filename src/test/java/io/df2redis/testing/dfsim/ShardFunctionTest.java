package io.df2redis.testing.dfsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.df2redis.testing.recordings.Recording;
import io.df2redis.testing.recordings.Recordings;
import org.junit.jupiter.api.Test;

/** Every snapshot key of every recording sits on the flow Dragonfly's shard function names. */
class ShardFunctionTest {
    private static final Pattern KEY = Pattern.compile(" KEY db=\\d+ type=\\S+ key=(\\S+)");

    @Test
    void recordedKeysLandOnTheirFlows() throws IOException {
        int checked = 0;
        for (Recording rec : Recordings.all()) {
            for (int flow = 0; flow < rec.flowCount(); flow++) {
                Path p = rec.dir().resolve("flow-" + flow + ".decoded.txt");
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    Matcher m = KEY.matcher(line);
                    if (m.find() && !m.group(1).contains("\\") && !m.group(1).contains("\"")) {
                        byte[] key = m.group(1).getBytes(StandardCharsets.UTF_8);
                        assertThat(ShardFunction.shard(key, rec.flowCount())).as("%s in %s", m.group(1), p).isEqualTo(flow);
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(100);
    }

    @Test
    void hashTagsDoNotColocate() {
        // journal-rewrites README: {user1}:a and {user1}:b are on different shards of a 2-shard master.
        assertThat(ShardFunction.shard("{user1}:a".getBytes(StandardCharsets.UTF_8), 2))
                .isNotEqualTo(ShardFunction.shard("{user1}:b".getBytes(StandardCharsets.UTF_8), 2));
    }
}
