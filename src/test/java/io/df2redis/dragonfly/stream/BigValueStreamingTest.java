package io.df2redis.dragonfly.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.dragonfly.encode.FlowStreamWriter;
import io.df2redis.dragonfly.encode.ValueEncoder;
import io.df2redis.dragonfly.event.DecodedValue;
import io.df2redis.dragonfly.event.FlowEvent;
import io.df2redis.dragonfly.rdb.Crc64;
import io.df2redis.dragonfly.rdb.RdbType;
import io.df2redis.testing.recordings.Bytes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Values bigger than the held limit stream as ObjectParts: a big string as pieces no bigger than a
 * part (expiry on every part, last part flagged), big containers split into tagged chunks that
 * interleave with other entries in other dbs (each entry keeps the db of its first chunk).
 */
@Timeout(120)
class BigValueStreamingTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef01234567";

    @Test
    void bigStringStreamsAsPiecesOfAtMostOnePart() throws Exception {
        int size = 20 << 20;
        byte[] value = new byte[size];
        new Random(5).nextBytes(value);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("REDIS0009".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {(byte) 0xfe, 3, (byte) 0xfc, 1, 2, 3, 4, 5, 6, 0, 0, 0, 1, 'k', (byte) 0x80});
        out.writeBytes(new byte[] {(byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size});
        out.writeBytes(value);
        out.writeBytes(new byte[] {(byte) 0xc8, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xd3, 7, 0, 0, 0, 0, 0, 0, 0});
        out.writeBytes(new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 0});
        out.writeBytes(TOKEN.getBytes(StandardCharsets.US_ASCII));
        byte[] flow = out.toByteArray();

        List<FlowEvent> events = new ArrayList<>();
        FlowStreamParser p = FlowStreamParser.fullSync(0, TOKEN, ParserConfig.defaults(), events::add);
        FlowRun.feed(p, flow, flow.length, FlowRun.random(9, 300_000));
        p.endOfInput();

        List<FlowEvent.ObjectPart> parts = events.stream()
                .filter(e -> e instanceof FlowEvent.ObjectPart).map(e -> (FlowEvent.ObjectPart) e).toList();
        assertThat(parts).hasSize(20);
        long crc = 0;
        for (int i = 0; i < parts.size(); i++) {
            FlowEvent.ObjectPart part = parts.get(i);
            byte[] piece = ((DecodedValue.StringValue) part.elements()).bytes();
            assertThat(piece.length).isLessThanOrEqualTo(ParserConfig.defaults().partBytes());
            assertThat(part.index()).isEqualTo(i);
            assertThat(part.last()).isEqualTo(i == parts.size() - 1);
            assertThat(part.db()).isEqualTo(3);
            assertThat(part.expireAtMs()).isEqualTo(0x0000060504030201L);
            assertThat(part.type()).isEqualTo(RdbType.STRING);
            crc = Crc64.update(crc, piece, 0, piece.length);
        }
        assertThat(crc).isEqualTo(Crc64.of(value));
        assertThat(p.nextLsn()).isEqualTo(7);
    }

    @Test
    void interleavedTaggedContainersKeepTheDbOfTheirFirstChunk() throws Exception {
        ValueEncoder enc = new ValueEncoder();
        Random r = new Random(11);
        List<byte[]> members = new ArrayList<>();
        for (int i = 0; i < 120_000; i++) {
            members.add(("member-" + i + "-" + r.nextInt(1_000_000)).getBytes(StandardCharsets.US_ASCII));
        }
        List<byte[]> elements = new ArrayList<>();
        for (int i = 0; i < 60_000; i++) {
            elements.add(("element-" + i + "-" + "x".repeat(r.nextInt(100))).getBytes(StandardCharsets.US_ASCII));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FlowStreamWriter w = new FlowStreamWriter(FlowStreamWriter.Options.defaults(), out::writeBytes);
        w.header(new String[][] {{"redis-ver", "6.2.11"}});
        w.entry(1, "big:set".getBytes(StandardCharsets.US_ASCII), enc.set(members), -1, 0, 0);
        w.entry(2, "big:list".getBytes(StandardCharsets.US_ASCII), enc.list(elements), 1_900_000_000_000L, 0, 0);
        for (int i = 0; i < 50; i++) {
            w.entry(5, ("small:" + i).getBytes(StandardCharsets.US_ASCII), enc.string(new byte[] {'v'}), -1, 0, 0);
        }
        w.fullSyncEnd();
        w.stableCut(1, TOKEN);
        assertThat(w.taggedChunks()).isGreaterThan(10);
        byte[] flow = out.toByteArray();

        ParserConfig cfg = ParserConfig.defaults().withMaxHeldValueBytes(1 << 20).withPartElements(5000);
        List<FlowEvent> events = new ArrayList<>();
        FlowStreamParser p = FlowStreamParser.fullSync(0, TOKEN, cfg, events::add);
        FlowRun.feed(p, flow, flow.length, FlowRun.random(3, 20_000));
        p.endOfInput();

        List<Assembled> values = Assembled.from(events);
        Assembled set = values.stream().filter(a -> Bytes.of(a.key()).equals(Bytes.utf8("big:set"))).findFirst().orElseThrow();
        Assembled list = values.stream().filter(a -> Bytes.of(a.key()).equals(Bytes.utf8("big:list"))).findFirst().orElseThrow();
        assertThat(set.db()).isEqualTo(1);
        assertThat(set.fromParts()).isTrue();
        assertThat(set.parts()).isGreaterThan(10);
        assertThat(((DecodedValue.SetValue) set.value()).members().stream().map(Bytes::of).sorted().toList())
                .isEqualTo(members.stream().map(Bytes::of).sorted().toList());
        assertThat(list.db()).isEqualTo(2);
        assertThat(list.expireAtMs()).isEqualTo(1_900_000_000_000L);
        assertThat(((DecodedValue.ListValue) list.value()).elements().stream().map(Bytes::of).toList())
                .isEqualTo(elements.stream().map(Bytes::of).toList());
        assertThat(values.stream().filter(a -> a.db() == 5).count()).isEqualTo(50);
        // every part batch respects the element limit
        long maxPart = events.stream().filter(e -> e instanceof FlowEvent.ObjectPart).mapToLong(e -> ((FlowEvent.ObjectPart) e).elements().count()).max().orElse(0);
        assertThat(maxPart).isBetween(1000L, 5000L + 600);
        // chunks of the two entries interleaved with the small keys: some small key came before the set ended
        int firstSmall = -1;
        int setLast = -1;
        for (int i = 0; i < events.size(); i++) {
            FlowEvent e = events.get(i);
            if (firstSmall < 0 && e instanceof FlowEvent.SnapshotObject o && o.db() == 5) {
                firstSmall = i;
            }
            if (e instanceof FlowEvent.ObjectPart op && op.last() && op.db() == 1) {
                setLast = i;
            }
        }
        assertThat(firstSmall).isLessThan(setLast);
    }
}
