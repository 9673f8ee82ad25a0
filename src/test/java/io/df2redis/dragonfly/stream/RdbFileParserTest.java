package io.df2redis.dragonfly.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.dragonfly.rdb.TypeTable;
import io.df2redis.testing.recordings.Bytes;
import io.df2redis.testing.recordings.DatasetRow;
import io.df2redis.testing.recordings.Datasets;
import io.df2redis.testing.recordings.DecodedRows;
import io.df2redis.testing.recordings.SharedTestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every published RDB file of ../shared/testdata/rdb parses to its *.expected.jsonl (README rules:
 * empty collections skipped; keys already expired dropped, as a loader does); the corrupt ziplist
 * fails naming its key; checksums are verified.
 */
@Timeout(60)
class RdbFileParserTest {

    static Stream<Path> files() throws Exception {
        Path root = SharedTestData.rdbFiles();
        List<Path> out = new ArrayList<>();
        for (String dir : List.of("redis", "dragonfly")) {
            try (Stream<Path> s = Files.list(root.resolve(dir))) {
                s.filter(p -> p.toString().endsWith(".rdb"))
                        .filter(p -> Files.exists(expectedOf(p)))
                        .sorted()
                        .forEach(out::add);
            }
        }
        return out.stream();
    }

    private static Path expectedOf(Path rdb) {
        String n = rdb.getFileName().toString();
        return rdb.resolveSibling(n.substring(0, n.length() - 4) + ".expected.jsonl");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void parsesToExpectedDataset(Path file) throws Exception {
        long now = System.currentTimeMillis();
        List<FlowEvent> events = new ArrayList<>();
        RdbFileParser.parse(file, ParserConfig.defaults(), null, events::add);
        List<DatasetRow> actual = new ArrayList<>();
        for (Assembled a : Assembled.from(events)) {
            actual.add(DecodedRows.row(a.db(), a.key(), a.type(), a.expireAtMs(), a.value()));
        }
        List<DatasetRow> expected = DatasetRow.readAll(expectedOf(file));
        assertThat(Datasets.diff(Datasets.dropExpired(expected, now), Datasets.dropExpired(actual, now), 0, 2))
                .as(file.getFileName().toString())
                .isEmpty();
        // the same with tiny limits: values stream in parts and must assemble to the same
        List<FlowEvent> parted = new ArrayList<>();
        RdbFileParser.parse(file, FlowStreamParserRecordingsTest.TINY, null, parted::add);
        List<DatasetRow> partedRows = new ArrayList<>();
        for (Assembled a : Assembled.from(parted)) {
            partedRows.add(DecodedRows.row(a.db(), a.key(), a.type(), a.expireAtMs(), a.value()));
        }
        assertThat(partedRows).isEqualTo(actual);
    }

    @Test
    void corruptZiplistFailsNamingItsKey() throws Exception {
        Path f = SharedTestData.rdbFiles().resolve("redis/corrupt_ziplist.rdb");
        assertThatThrownBy(() -> RdbFileParser.parse(f, ParserConfig.defaults(), null, e -> {}))
                .isInstanceOf(StreamFormatException.class)
                .satisfies(e -> {
                    StreamFormatException s = (StreamFormatException) e;
                    assertThat(Bytes.of(s.key())).isEqualTo(Bytes.utf8("key:000000000091"));
                    assertThat(s.offset()).isPositive();
                    assertThat(s.getMessage()).contains("ziplist");
                });
    }

    @Test
    void emptyCollectionsAreSkippedAndCounted() throws Exception {
        Path f = SharedTestData.rdbFiles().resolve("redis/corrupt_empty_keys.rdb");
        List<FlowEvent> events = new ArrayList<>();
        RdbFileParser p = RdbFileParser.create(ParserConfig.defaults(), null, events::add);
        byte[] b = Files.readAllBytes(f);
        p.feed(b, 0, b.length);
        p.endOfInput();
        assertThat(events).noneMatch(e -> e instanceof FlowEvent.SnapshotObject || e instanceof FlowEvent.ObjectPart);
        assertThat(p.emptyValuesSkipped()).isPositive();
    }

    @Test
    void typeTableFollowsTheSource() throws Exception {
        // redis7_small.rdb (RDB 11) has a SET_LISTPACK under byte 20, which in a Dragonfly stream is JSON
        Path f = SharedTestData.rdbFiles().resolve("dragonfly/redis7_small.rdb");
        List<FlowEvent> events = new ArrayList<>();
        RdbFileParser p = RdbFileParser.create(ParserConfig.defaults(), null, events::add);
        byte[] b = Files.readAllBytes(f);
        p.feed(b, 0, b.length);
        p.endOfInput();
        assertThat(p.typeTable()).isEqualTo(TypeTable.REDIS);
        assertThat(p.rdbVersion()).isEqualTo(11);
        assertThat(events).anyMatch(e -> e instanceof FlowEvent.SnapshotObject o
                && o.value().type() == io.df2redis.dragonfly.rdb.RdbType.SET_LISTPACK);
    }

    @Test
    void badChecksumIsRejectedAndZeroChecksumAccepted() throws Exception {
        byte[] b = Files.readAllBytes(SharedTestData.rdbFiles().resolve("dragonfly/redis6_small.rdb"));
        assertThat(b[b.length - 9] & 0xff).isEqualTo(0xff);
        byte[] flipped = b.clone();
        flipped[b.length - 1] ^= 0x01;
        RdbFileParser p = RdbFileParser.create(ParserConfig.defaults(), null, e -> {});
        assertThatThrownBy(() -> p.feed(flipped, 0, flipped.length))
                .isInstanceOf(StreamFormatException.class)
                .hasMessageContaining("checksum");
        byte[] zero = b.clone();
        java.util.Arrays.fill(zero, b.length - 8, b.length, (byte) 0);
        RdbFileParser q = RdbFileParser.create(ParserConfig.defaults(), null, e -> {});
        q.feed(zero, 0, zero.length);
        q.endOfInput();
        // a flipped byte inside the data breaks the checksum even if the data still parses
        byte[] data = b.clone();
        int at = indexOf(b, "redis-ver".getBytes()) + 2;
        data[at] ^= 0x20;
        RdbFileParser r = RdbFileParser.create(ParserConfig.defaults(), null, e -> {});
        assertThatThrownBy(() -> r.feed(data, 0, data.length)).hasMessageContaining("checksum");
    }

    private static int indexOf(byte[] a, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= a.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (a[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
