package io.df2redis.testing.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.df2redis.testing.redis.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/** The comparison rules and the dump format, on hand-made rows and on a real server. */
@Timeout(120)
class DatasetComparisonTest {
    static final long NOW = 1_800_000_000_000L;

    static DatasetRow row(int db, String key, String type, Long exp, String valueJson) throws Exception {
        return new DatasetRow(db, key.getBytes(StandardCharsets.UTF_8), type, exp, Dataset.JSON.readTree(valueJson), null);
    }

    static Dataset of(DatasetRow... rows) {
        return new Dataset(List.of(rows));
    }

    @Test
    void zsetScoresCompareAsDoublesNotText() throws Exception {
        Dataset x = of(row(0, "z", "zset", null, "[[\"YQ==\",\"0.1\"],[\"Yg==\",\"inf\"]]"));
        Dataset same = of(row(0, "z", "zset", null, "[[\"YQ==\",\"0.10000000000000001\"],[\"Yg==\",\"+inf\"]]"));
        Dataset other = of(row(0, "z", "zset", null, "[[\"YQ==\",\"0.2\"],[\"Yg==\",\"inf\"]]"));
        assertThat(DatasetComparison.rules().now(NOW, 0).differences(x, same)).isEmpty();
        assertThat(DatasetComparison.rules().now(NOW, 0).differences(x, other)).singleElement().asString()
                .contains("score of member #0 0.2, expected 0.1");
    }

    @Test
    void expiryOnAbsoluteTimeWithToleranceAndExpiredKeysDropped() throws Exception {
        Dataset x = of(row(0, "a", "string", NOW + 100_000, "\"dg==\""), row(0, "old", "string", NOW - 5, "\"dg==\""));
        assertThat(DatasetComparison.rules().now(NOW, 0).differences(x, of(row(0, "a", "string", NOW + 100_900, "\"dg==\""))))
                .isEmpty();
        assertThat(DatasetComparison.rules().now(NOW, 0).differences(x, of(row(0, "a", "string", NOW + 102_000, "\"dg==\""))))
                .singleElement().asString().contains("expire_at_ms");
        assertThat(DatasetComparison.rules().now(NOW, 0).differences(x, of(row(0, "a", "string", null, "\"dg==\""))))
                .singleElement().asString().contains("expire_at_ms null");
        // a margin drops keys about to expire from both sides
        assertThat(DatasetComparison.rules().now(NOW, 200_000).differences(x, of())).isEmpty();
    }

    @Test
    void skippedTypesMustBeAbsentAndDbsMap() throws Exception {
        Dataset x = of(row(0, "j", "ReJSON-RL", null, "\"{}\""), row(1, "k", "string", null, "\"dg==\""));
        DatasetComparison skip = DatasetComparison.rules().now(NOW, 0).skipTypes("ReJSON-RL");
        assertThat(skip.differences(x, of(row(1, "k", "string", null, "\"dg==\"")))).isEmpty();
        assertThat(skip.differences(x, of(row(1, "k", "string", null, "\"dg==\""), row(0, "j", "ReJSON-RL", null, "\"{}\""))))
                .singleElement().asString().contains("unexpected db 0 key j (ReJSON-RL, a skipped type)");
        assertThat(DatasetComparison.rules().now(NOW, 0).skipTypes("ReJSON-RL").mapDbs(db -> 0)
                .differences(x, of(row(0, "k", "string", null, "\"dg==\"")))).isEmpty();
        assertThatThrownBy(() -> DatasetComparison.rules().now(NOW, 0).mapDbs(db -> 0)
                .differences(of(row(0, "k", "string", null, "\"a\""), row(1, "k", "string", null, "\"b\"")), of()))
                .hasMessageContaining("merges two expected keys k");
    }

    @Test
    void aRealServerDumpsInTheRecordingsFormat() throws Exception {
        try (RedisServerProcess r = RedisServerProcess.builder().start(); Jedis j = new Jedis(r.host(), r.port())) {
            j.set("s", "v");
            j.pexpireAt("s", NOW);
            j.rpush("l", "b", "a");
            j.sadd("set", "b", "a");
            j.hset("h", Map.of("g", "2", "f", "1"));
            j.zadd("z", Map.of("m", 1.5, "n", Double.NEGATIVE_INFINITY));
            j.sendCommand(() -> "XADD".getBytes(), "x".getBytes(), "1-1".getBytes(), "f".getBytes(), "v".getBytes());
            j.sendCommand(() -> "XGROUP".getBytes(), "CREATE".getBytes(), "x".getBytes(), "g".getBytes(), "0".getBytes());
            j.select(3);
            j.set("in3", "x");
            Dataset d = RedisDataset.dumpStandalone(r.host(), r.port());
            assertThat(d.rows()).extracting(DatasetRow::db).containsExactly(0, 0, 0, 0, 0, 0, 3);
            assertThat(d.find(0, "s").expireAtMs()).isEqualTo(NOW);
            assertThat(d.find(0, "l").value().toString()).isEqualTo("[\"Yg==\",\"YQ==\"]");
            assertThat(d.find(0, "set").value().toString()).isEqualTo("[\"YQ==\",\"Yg==\"]");
            assertThat(d.find(0, "h").value().toString()).isEqualTo("[[\"Zg==\",\"MQ==\"],[\"Zw==\",\"Mg==\"]]");
            assertThat(d.find(0, "z").value().toString()).isEqualTo("[[\"bg==\",\"-inf\"],[\"bQ==\",\"1.5\"]]");
            JsonNode x = d.find(0, "x").value();
            assertThat(x.toString()).isEqualTo("{\"entries\":[[\"1-1\",[[\"Zg==\",\"dg==\"]]]],\"length\":1,"
                    + "\"last_generated_id\":\"1-1\",\"groups\":[{\"name\":\"g\",\"last_delivered_id\":\"0-0\",\"pending\":0,"
                    + "\"consumers\":[]}]}");
            Path file = Files.createTempFile("dataset", ".jsonl");
            try {
                d.write(file, NOW - 1000);
                Dataset back = Dataset.read(file);
                assertThat(DatasetComparison.rules().now(NOW - 1000, 0).differences(d, back)).isEmpty();
                assertThat(Files.readAllLines(file)).filteredOn(l -> l.contains("\"key_b64\":\"cw==\""))
                        .singleElement().asString().contains("\"pttl\":1000");
            } finally {
                Files.delete(file);
            }
        }
    }
}
