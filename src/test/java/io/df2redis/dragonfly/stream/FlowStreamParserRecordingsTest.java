package io.df2redis.dragonfly.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.dragonfly.event.DecodedValue;
import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.testing.recordings.Bytes;
import io.df2redis.testing.recordings.DatasetRow;
import io.df2redis.testing.recordings.Datasets;
import io.df2redis.testing.recordings.DecodedRows;
import io.df2redis.testing.recordings.FlowListing;
import io.df2redis.testing.recordings.JournalLine;
import io.df2redis.testing.recordings.Recording;
import io.df2redis.testing.recordings.RecordingMeta;
import io.df2redis.testing.recordings.Recordings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every flow of every recording, fed in pieces of 1, 7, 13, 4096 and random sizes: token, JOURNAL_OFFSET,
 * journal start and final next LSN equal meta.json; the stable journal equals journal-&lt;i&gt;.txt;
 * the snapshot entries and journal blobs equal the reference decoding (flow-&lt;i&gt;.decoded.txt)
 * in stream order; where nothing was written during the sync, the decoded snapshot equals
 * dataset-before-sync.jsonl. A second pass with tiny limits streams every container in parts and
 * must give the same values.
 */
@Timeout(300)
class FlowStreamParserRecordingsTest {

    private static final List<IntUnaryOperator> PIECES = List.of(
            FlowRun.fixed(1), FlowRun.fixed(7), FlowRun.fixed(13), FlowRun.fixed(4096), FlowRun.random(42, 70_000));

    /** Tiny limits: every value above 64 bytes streams in parts of ~100 bytes / 7 elements. */
    static final ParserConfig TINY = ParserConfig.defaults().withMaxHeldValueBytes(64).withPartBytes(100).withPartElements(7);

    @Test
    void bigValues() throws Exception {
        check("big-values");
    }

    @Test
    void compressionLzf() throws Exception {
        check("compression-lzf");
    }

    @Test
    void compressionNone() throws Exception {
        check("compression-none");
    }

    @Test
    void compressionZstd() throws Exception {
        check("compression-zstd");
    }

    @Test
    void dragonflyTypes() throws Exception {
        check("dragonfly-types");
    }

    @Test
    void journalRewrites() throws Exception {
        check("journal-rewrites");
    }

    @Test
    void noTaggedChunks() throws Exception {
        check("no-tagged-chunks");
    }

    @Test
    void partialSyncSession1() throws Exception {
        check("partial-sync/session-1");
    }

    @Test
    void partialSyncSession2() throws Exception {
        check("partial-sync/session-2");
    }

    @Test
    void typesBasic() throws Exception {
        check("types-basic");
    }

    /** A new recording must get its own test above. */
    @Test
    void everyRecordingHasATest() {
        assertThat(Recordings.all().stream().map(Recording::name).toList()).containsExactlyInAnyOrder(
                "big-values", "compression-lzf", "compression-none", "compression-zstd", "dragonfly-types",
                "journal-rewrites", "no-tagged-chunks", "partial-sync/session-1", "partial-sync/session-2",
                "types-basic");
    }

    private void check(String name) throws Exception {
        Recording rec = Recordings.get(name);
        RecordingMeta meta = rec.meta();
        List<DatasetRow> snapshot = new ArrayList<>();
        for (RecordingMeta.Flow f : meta.flows()) {
            int i = f.flow();
            byte[] bytes = rec.flowBytes(i);
            assertThat(bytes.length).isEqualTo(f.bytesTotal());
            List<JournalLine> journal = rec.journal(i);
            FlowListing listing = f.partial() ? null : rec.listing(i);
            List<Assembled> whole = null;
            for (IntUnaryOperator pieces : PIECES) {
                FlowRun run = FlowRun.of(f, bytes, pieces, ParserConfig.defaults());
                checkFlow(name, f, meta.nextLsn().get(i), run, journal, listing);
                List<Assembled> values = Assembled.from(run.events());
                if (whole == null) {
                    whole = values;
                } else {
                    assertSameValues(values, whole);
                }
            }
            // tiny limits: everything big streams in parts; same values, same order
            FlowRun parted = FlowRun.of(f, bytes, FlowRun.random(7, 5000), TINY);
            checkFlow(name, f, meta.nextLsn().get(i), parted, journal, listing);
            List<Assembled> partedValues = Assembled.from(parted.events());
            assertSameValues(partedValues, whole);
            long biggest = FlowRun.of(f, bytes, FlowRun.fixed(1 << 16), ParserConfig.defaults()).events().stream()
                    .filter(e -> e instanceof FlowEvent.SnapshotObject)
                    .mapToLong(e -> ((FlowEvent.SnapshotObject) e).value().size()).max().orElse(0);
            if (biggest > TINY.maxHeldValueBytes()) {
                assertThat(partedValues).as("values streamed as parts").anyMatch(Assembled::fromParts);
            }
            if (biggest > 50L * TINY.partBytes()) {
                assertThat(partedValues).as("values streamed in several parts").anyMatch(a -> a.parts() > 1);
            }
            for (Assembled a : whole) {
                snapshot.add(DecodedRows.row(a.db(), a.key(), a.type(), a.expireAtMs(), a.value()));
            }
        }
        if (!meta.partial() && !rec.writesDuringSync()) {
            List<String> diff = Datasets.diff(rec.datasetBeforeSync(), snapshot, 0, 2);
            assertThat(diff).as("decoded snapshot vs dataset-before-sync.jsonl").isEmpty();
        }
    }

    private static void assertSameValues(List<Assembled> actual, List<Assembled> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int k = 0; k < actual.size(); k++) {
            Assembled a = actual.get(k);
            Assembled e = expected.get(k);
            assertThat(Bytes.of(a.key())).isEqualTo(Bytes.of(e.key()));
            assertThat(DecodedRows.row(a.db(), a.key(), a.type(), a.expireAtMs(), a.value()))
                    .as("value of %s", Bytes.of(a.key()))
                    .isEqualTo(DecodedRows.row(e.db(), e.key(), e.type(), e.expireAtMs(), e.value()));
            assertThat(a.dfMask()).isEqualTo(e.dfMask());
            assertThat(a.mcFlags()).isEqualTo(e.mcFlags());
        }
    }

    private static void checkFlow(String name, RecordingMeta.Flow f, long nextLsn, FlowRun run,
            List<JournalLine> journal, FlowListing listing) throws Exception {
        String where = name + " flow " + f.flow();
        FlowStreamParser p = run.parser();
        assertThat(p.nextLsn()).as(where + " next LSN").isEqualTo(nextLsn);
        assertThat(p.phase()).isEqualTo(Phase.STABLE);
        assertThat(p.offset()).isEqualTo(f.bytesTotal());
        List<FlowEvent> stable = run.events();
        if (!f.partial()) {
            assertThat(p.journalOffset()).as(where + " JOURNAL_OFFSET").isEqualTo(f.journalOffsetValue());
            assertThat(p.stableJournalOffset()).as(where + " journal start").isEqualTo(f.stableJournalOffset());
            int cut = -1;
            for (int k = 0; k < run.events().size(); k++) {
                if (run.events().get(k) instanceof FlowEvent.StableCut c) {
                    assertThat(cut).as("one stable cut").isEqualTo(-1);
                    assertThat(c.journalOffset()).isEqualTo(f.journalOffsetValue());
                    cut = k;
                }
            }
            assertThat(cut).as(where + " stable cut").isNotNegative();
            assertThat(run.events().stream().filter(e -> e instanceof FlowEvent.StaticDataEnd).count()).isEqualTo(1);
            stable = run.events().subList(cut + 1, run.events().size());
            checkSnapshot(where, run.events().subList(0, cut), listing);
        } else {
            assertThat(p.stableJournalOffset()).isZero();
        }
        checkJournal(where, stable, journal);
    }

    /** Stable journal events vs journal-<i>.txt (LSN lines are records, not events). */
    private static void checkJournal(String where, List<FlowEvent> events, List<JournalLine> journal) {
        List<JournalLine> expected = journal.stream().filter(l -> l.kind() != JournalLine.Kind.LSN).toList();
        assertThat(events).as(where + " stable journal events").hasSize(expected.size());
        for (int k = 0; k < expected.size(); k++) {
            JournalLine e = expected.get(k);
            FlowEvent a = events.get(k);
            String at = where + " journal @" + e.offset();
            switch (e.kind()) {
                case PING -> assertThat(a).as(at).isEqualTo(new FlowEvent.Ping(e.lsn()));
                case COMMAND, EXPIRED, MULTI_COMMAND -> {
                    if (a instanceof FlowEvent.GlobalCommand g) {
                        assertThat(List.of(g.db(), g.txid(), g.lsn())).as(at).isEqualTo(List.of(e.db(), e.txid(), e.lsn()));
                        assertThat(e.argsMatch(g.args())).as(at + " args").isTrue();
                        assertThat(e.command()).isIn("FLUSHALL", "FLUSHDB");
                    } else {
                        FlowEvent.JournalCommand c = (FlowEvent.JournalCommand) a;
                        assertThat(List.of((long) c.db(), c.txid(), c.lsn())).as(at)
                                .isEqualTo(List.of((long) e.db(), e.txid(), e.lsn()));
                        assertThat(c.opcode().name()).isEqualTo(e.kind().name());
                        assertThat(e.argsMatch(c.args())).as(at + " args " + c.args().stream().map(Bytes::of).toList()).isTrue();
                        assertThat(e.command()).isNotIn("FLUSHALL", "FLUSHDB");
                    }
                }
                default -> throw new AssertionError(e);
            }
        }
    }

    /** Snapshot entries and journal-blob commands, in stream order, vs flow-<i>.decoded.txt. */
    private static void checkSnapshot(String where, List<FlowEvent> events, FlowListing listing) throws Exception {
        List<Object> actual = new ArrayList<>();
        List<Assembled> values = Assembled.from(events);
        int v = 0;
        for (FlowEvent e : events) {
            if (e instanceof FlowEvent.SnapshotObject || (e instanceof FlowEvent.ObjectPart op && op.last())) {
                actual.add(values.get(v++));
            } else if (e instanceof FlowEvent.JournalCommand || e instanceof FlowEvent.GlobalCommand) {
                actual.add(e);
            }
        }
        List<FlowListing.Item> expected = listing.items();
        assertThat(actual).as(where + " snapshot items").hasSize(expected.size());
        for (int k = 0; k < expected.size(); k++) {
            FlowListing.Item item = expected.get(k);
            Object a = actual.get(k);
            if (item instanceof FlowListing.BlobCommand b) {
                JournalLine l = b.command();
                assertThat(a).as(where + " item " + k).isInstanceOf(FlowEvent.JournalCommand.class);
                FlowEvent.JournalCommand c = (FlowEvent.JournalCommand) a;
                assertThat(c.lsn()).isEqualTo(-1);
                assertThat(List.of((long) c.db(), c.txid())).isEqualTo(List.of((long) l.db(), l.txid()));
                assertThat(l.argsMatch(c.args())).as(where + " blob command " + l).isTrue();
                continue;
            }
            FlowListing.KeyEntry key = (FlowListing.KeyEntry) item;
            assertThat(a).as(where + " item " + k + " " + key.key()).isInstanceOf(Assembled.class);
            Assembled x = (Assembled) a;
            String at = where + " key " + key.key();
            assertThat(Bytes.of(x.key())).as(at).isEqualTo(key.key());
            assertThat(x.db()).as(at).isEqualTo(key.db());
            assertThat(io.df2redis.dragonfly.rdb.TypeTable.DRAGONFLY.typeOf(key.typeId(), 9)).as(at).isEqualTo(x.type());
            assertThat(x.expireAtMs()).as(at + " expiry").isEqualTo(key.expireMs());
            assertThat(x.dfMask()).as(at + " df_mask").isEqualTo(key.dfMask());
            assertThat(x.mcFlags()).as(at + " mc_flags").isEqualTo(key.mcFlags());
            checkCounts(at, key, x.value());
        }
    }

    private static void checkCounts(String at, FlowListing.KeyEntry key, DecodedValue v) {
        Map<String, String> attrs = key.attrs();
        if (v instanceof DecodedValue.StringValue s) {
            assertThat((long) s.bytes().length).as(at + " len").isEqualTo(key.attr("len"));
            if (key.value() != null) {
                assertThat(Bytes.of(s.bytes())).as(at + " value").isEqualTo(key.value());
            }
        } else if (v instanceof DecodedValue.JsonValue j) {
            assertThat((long) j.text().length).as(at + " json len").isEqualTo(key.attr("len"));
            assertThat(Bytes.of(j.text())).as(at + " json").isEqualTo(key.value());
        } else if (v instanceof DecodedValue.ListValue l) {
            assertThat((long) l.elements().size()).as(at + " len").isEqualTo(key.attr("len"));
        } else if (v instanceof DecodedValue.StreamValue s) {
            assertThat((long) s.entries().size()).as(at + " entries").isEqualTo(key.attr("entries"));
            assertThat((long) s.meta().groups().size()).as(at + " groups").isEqualTo(key.attr("groups"));
        } else if (v instanceof DecodedValue.OpaqueValue) {
            assertThat(attrs).as(at).isNotEmpty();
        } else {
            assertThat(v.count()).as(at + " n").isEqualTo(key.attr("n"));
            long[] ttl = v instanceof DecodedValue.SetValue s ? s.expireAtSec()
                    : v instanceof DecodedValue.HashValue h ? h.expireAtSec() : null;
            if (attrs.containsKey("with-ttl")) {
                assertThat(ttl).isNotNull();
                assertThat(java.util.Arrays.stream(ttl).filter(t -> t != -1).count()).as(at + " with-ttl")
                        .isEqualTo(key.attr("with-ttl"));
            }
        }
    }
}
