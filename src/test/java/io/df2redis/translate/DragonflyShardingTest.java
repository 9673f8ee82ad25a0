package io.df2redis.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import io.df2redis.testing.recordings.FlowListing;
import io.df2redis.testing.recordings.JournalLine;
import io.df2redis.testing.recordings.Recording;
import io.df2redis.testing.recordings.Recordings;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DragonflyShardingTest {

    private static int shard(String key, int n) {
        return DragonflySharding.XXH64.shard(key.getBytes(StandardCharsets.UTF_8), n);
    }

    @Test
    void matchesTheShardsTheJournalRewritesWorkloadNames() {
        // workload.txt of journal-rewrites (N = 4)
        assertThat(shard("rn:src", 4)).isEqualTo(0);
        assertThat(shard("rn:same:3", 4)).isEqualTo(0);
        assertThat(shard("rn:src2", 4)).isEqualTo(1);
        assertThat(shard("rn:other:1003", 4)).isEqualTo(3);
        assertThat(shard("rnx:dst:3", 4)).isEqualTo(1);
        assertThat(shard("cp:other:12", 4)).isEqualTo(1);
        assertThat(shard("cp:list", 4)).isEqualTo(3);
        assertThat(shard("m:a", 4)).isEqualTo(3);
        assertThat(shard("m:d", 4)).isEqualTo(1);
        assertThat(shard("m:g", 4)).isEqualTo(2);
        assertThat(shard("nx:c", 4)).isEqualTo(2);
        // no hash-tag co-location by default
        assertThat(shard("{t}:a", 4)).isEqualTo(2);
        assertThat(shard("{t}:b", 4)).isEqualTo(3);
    }

    @Test
    void everySnapshotKeyOfEveryRecordingIsOnItsOwnFlow() {
        int checked = 0;
        for (Recording rec : Recordings.all()) {
            int n = rec.flowCount();
            for (int flow = 0; flow < n; flow++) {
                for (FlowListing.KeyEntry e : rec.listing(flow).keys()) {
                    assertThat(DragonflySharding.XXH64.shard(e.key().toByteArray(), n))
                            .as("%s flow %d key %s", rec.name(), flow, e.key())
                            .isEqualTo(flow);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(5000);
    }

    @Test
    void everyJournaledWriteIsOnItsKeysFlowExceptThePfmergeCopy() {
        Set<String> keyless = Set.of("FLUSHDB", "FLUSHALL", "SCRIPT", "XGROUP", "");
        List<String> stray = new ArrayList<>();
        int checked = 0;
        for (Recording rec : Recordings.all()) {
            int n = rec.flowCount();
            for (int flow = 0; flow < n; flow++) {
                List<JournalLine> lines = new ArrayList<>(rec.listing(flow).blobCommands());
                lines.addAll(rec.journal(flow));
                for (JournalLine l : lines) {
                    if (keyless.contains(l.command()) || l.args().size() < 2) {
                        continue;
                    }
                    checked++;
                    if (DragonflySharding.XXH64.shard(l.args().get(1).bytes().toByteArray(), n) != flow) {
                        stray.add(rec.name() + " flow " + flow + ": " + l.command() + " " + l.args().get(1).bytes());
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(500);
        assertThat(stray).hasSize(1);
        assertThat(stray.get(0)).startsWith("journal-rewrites flow ").contains("SET hll:m");
    }

    @Test
    void hashTagAndSlotModes() {
        byte[] a = "{user1}:a".getBytes(StandardCharsets.UTF_8);
        byte[] b = "{user1}:b".getBytes(StandardCharsets.UTF_8);
        assertThat(DragonflySharding.HASH_TAG.shard(a, 8)).isEqualTo(DragonflySharding.HASH_TAG.shard(b, 8))
                .isEqualTo(DragonflySharding.XXH64.shard("user1".getBytes(StandardCharsets.UTF_8), 8));
        // an empty tag means the whole key
        byte[] empty = "{}x".getBytes(StandardCharsets.UTF_8);
        assertThat(DragonflySharding.HASH_TAG.shard(empty, 8)).isEqualTo(DragonflySharding.XXH64.shard(empty, 8));
        assertThat(DragonflySharding.CLUSTER_SLOT.shard(a, 3)).isEqualTo(io.df2redis.redis.Slots.slot(a) % 3);
    }
}
