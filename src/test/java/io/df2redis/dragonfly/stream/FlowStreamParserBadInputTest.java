package io.df2redis.dragonfly.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.testing.recordings.FlowListing;
import io.df2redis.testing.recordings.Recording;
import io.df2redis.testing.recordings.RecordingMeta;
import io.df2redis.testing.recordings.Recordings;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every recording truncated at many offsets (including inside tagged chunks and compressed blobs)
 * and with flipped bytes: a {@link StreamFormatException} (never another exception, never a hang —
 * the class timeout fails the test), or, for a flip that still yields a valid stream, a complete
 * parse whose events differ from the original's.
 */
@Timeout(600)
class FlowStreamParserBadInputTest {

    private static final Pattern INLINE_ITEM = Pattern.compile("^@(\\d+) (LZ4_BLOB|ZSTD_BLOB|TAGGED_CHUNK) (?:stream=\\d+ len=)?(\\d+)");

    @Test
    void truncatedFlowsFailWithTheTypedError() throws Exception {
        int checked = 0;
        for (Recording rec : Recordings.all()) {
            RecordingMeta meta = rec.meta();
            for (RecordingMeta.Flow f : meta.flows()) {
                byte[] bytes = rec.flowBytes(f.flow());
                List<String> full = EventText.of(FlowRun.of(f, bytes, FlowRun.fixed(1 << 16), ParserConfig.defaults()).events());
                for (int cut : cuts(rec, f, bytes.length)) {
                    checkTruncated(rec.name() + " flow " + f.flow(), f, bytes, cut, full);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(2000);
    }

    private static void checkTruncated(String where, RecordingMeta.Flow f, byte[] bytes, int cut, List<String> full) {
        List<FlowEvent> events = new ArrayList<>();
        FlowStreamParser p = f.partial()
                ? FlowStreamParser.partial(f.flow(), f.requestedLsn(), ParserConfig.defaults(), events::add)
                : FlowStreamParser.fullSync(f.flow(), f.eofToken(), ParserConfig.defaults(), events::add);
        try {
            FlowRun.feed(p, bytes, cut, FlowRun.random(cut, 5000));
            p.endOfInput();
        } catch (StreamFormatException e) {
            assertThat(e.flowId()).isEqualTo(f.flow());
            assertThat(e.expected()).isNotBlank();
            assertThat(e.offset()).as(where + " cut " + cut).isBetween(0L, (long) cut);
            return;
        }
        // only a cut between two journal entries of the stable journal is a valid stream
        assertThat((long) cut).as(where + ": cut at " + cut + " accepted").isGreaterThanOrEqualTo(f.stableJournalOffset());
        List<String> got = EventText.of(events);
        assertThat(full.subList(0, got.size())).as(where + " cut " + cut + " events are a prefix").isEqualTo(got);
    }

    /** Flows above this size get fewer random positions (their blobs are slow to decompress). */
    private static final int BIG_FLOW = 200_000;

    /** The top-level compressed blobs and tagged chunks of the reference decoding, at most ~40. */
    private static List<String> inlineItems(Recording rec, RecordingMeta.Flow f) throws Exception {
        List<String> all = Files.readAllLines(rec.dir().resolve("flow-" + f.flow() + ".decoded.txt")).stream()
                .filter(l -> INLINE_ITEM.matcher(l).find())
                .toList();
        int step = Math.max(1, all.size() / 40);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += step) {
            out.add(all.get(i));
        }
        return out;
    }

    /** ~150 spread offsets plus offsets inside every (inline) tagged chunk and compressed blob. */
    private static TreeSet<Integer> cuts(Recording rec, RecordingMeta.Flow f, int length) throws Exception {
        TreeSet<Integer> cuts = new TreeSet<>();
        Random r = new Random(length);
        boolean big = length > BIG_FLOW;
        for (int i = 0; i < (big ? 80 : 150); i++) {
            cuts.add(r.nextInt(length));
        }
        for (int i = 0; i < Math.min(64, length); i++) {
            cuts.add(i);
            cuts.add(length - 1 - i);
        }
        if (!f.partial()) {
            List<String> items = inlineItems(rec, f);
            for (String line : items) {
                Matcher m = INLINE_ITEM.matcher(line);
                if (m.find()) {
                    int at = Integer.parseInt(m.group(1));
                    int len = Integer.parseInt(m.group(3));
                    for (int d : new int[] {1, 3, 9, 12, len / 2, len - 1}) {
                        if (at + d < length) {
                            cuts.add(at + d);
                        }
                    }
                }
            }
            cuts.add((int) f.stableJournalOffset() - 1);
            cuts.add((int) f.tokenOffset() + 20);
        }
        cuts.remove(length);
        return cuts;
    }

    /** Offsets of the shard_cnt byte of each stable COMMAND: opcode at @offset, then the txid. */
    private static java.util.Set<Integer> shardCntPositions(List<io.df2redis.testing.recordings.JournalLine> journal) {
        java.util.Set<Integer> out = new java.util.HashSet<>();
        for (io.df2redis.testing.recordings.JournalLine l : journal) {
            if (l.kind() == io.df2redis.testing.recordings.JournalLine.Kind.COMMAND) {
                long t = l.txid();
                int txidSize = t < 64 ? 1 : t < 16384 ? 2 : t <= 0xffffffffL ? 5 : 9;
                out.add((int) l.offset() + 1 + txidSize);
            }
        }
        return out;
    }

    private static boolean inBlob(List<int[]> blobs, int pos) {
        return blobs.stream().anyMatch(b -> pos > b[0] && pos < b[1]);
    }

    @Test
    void flippedBytesFailWithTheTypedErrorOrChangeTheEvents() throws Exception {
        int failures = 0;
        int changed = 0;
        List<String> unchanged = new ArrayList<>();
        for (Recording rec : Recordings.all()) {
            for (RecordingMeta.Flow f : rec.meta().flows()) {
                byte[] bytes = rec.flowBytes(f.flow());
                List<String> full = EventText.of(FlowRun.of(f, bytes, FlowRun.fixed(1 << 16), ParserConfig.defaults()).events());
                Random r = new Random(31L * bytes.length + f.flow());
                java.util.Set<Integer> shardCnt = shardCntPositions(rec.journal(f.flow()));
                List<int[]> blobs = new ArrayList<>();
                TreeSet<Integer> positions = new TreeSet<>();
                for (int i = 0; i < (bytes.length > BIG_FLOW ? 60 : 120); i++) {
                    positions.add(r.nextInt(bytes.length));
                }
                if (!f.partial()) {
                    for (String line : inlineItems(rec, f)) {
                        Matcher m = INLINE_ITEM.matcher(line);
                        if (m.find()) {
                            int at = Integer.parseInt(m.group(1));
                            if (!m.group(2).equals("TAGGED_CHUNK")) {
                                blobs.add(new int[] {at, at + Integer.parseInt(m.group(3)) + 6});
                            }
                            positions.add(at);
                            positions.add(Math.min(bytes.length - 1, at + 1 + r.nextInt(12)));
                        }
                    }
                }
                for (int pos : positions) {
                    byte[] bad = bytes.clone();
                    bad[pos] ^= (byte) (1 << r.nextInt(8));
                    List<FlowEvent> events = new ArrayList<>();
                    try {
                        FlowRun run = FlowRun.of(f, bad, FlowRun.random(pos, 9000), ParserConfig.defaults());
                        events = run.events();
                    } catch (StreamFormatException e) {
                        assertThat(e.flowId()).isEqualTo(f.flow());
                        failures++;
                        continue;
                    }
                    if (EventText.of(events).equals(full)) {
                        String kind = shardCnt.contains(pos) ? "shard_cnt" : inBlob(blobs, pos) ? "blob" : "other";
                        unchanged.add(rec.name() + " flow " + f.flow() + " @" + pos + " " + kind);
                    } else {
                        changed++;
                    }
                }
            }
        }
        // Flips that change nothing are allowed only where the format has no meaning for a consumer:
        // shard_cnt of a stable journal entry (ignored by Dragonfly's replica too), or inside a
        // compressed blob where an LZ4 match offset changed but copies identical bytes (zero-filled
        // sketches). Everything else must fail or change the events.
        assertThat(unchanged).as("flips that changed nothing").allMatch(u -> u.endsWith("shard_cnt") || u.endsWith("blob"));
        assertThat(unchanged.stream().filter(u -> u.endsWith("blob")).count()).isLessThan(10);
        assertThat(failures).isGreaterThan(500);
        assertThat(changed).isPositive();
    }
}
