package io.df2redis.dragonfly.encode;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.dragonfly.event.DecodedValue;
import io.df2redis.dragonfly.event.DecodedValue.StreamConsumer;
import io.df2redis.dragonfly.event.DecodedValue.StreamEntry;
import io.df2redis.dragonfly.event.DecodedValue.StreamGroup;
import io.df2redis.dragonfly.event.DecodedValue.StreamId;
import io.df2redis.dragonfly.event.RdbValue;
import io.df2redis.dragonfly.rdb.RdbType;
import io.df2redis.dragonfly.rdb.ValueDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every encoding the encoders write decodes back to the same elements with the parser's decoder. */
class ValueEncoderRoundTripTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<byte[]> l) {
        List<String> out = new ArrayList<>();
        for (byte[] x : l) {
            out.add(new String(x, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    private static List<byte[]> strings(int n, String prefix) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(b(prefix + i));
        }
        return out;
    }

    @Test
    void stringsPlainIntegerAndLzf() throws Exception {
        ValueEncoder plain = new ValueEncoder();
        ValueEncoder lzf = new ValueEncoder(ValueEncoder.Options.defaults().withLzf(true));
        for (String s : List.of("", "x", "12345", "-7", "2147483648", "007", "a".repeat(5000), "abc".repeat(300))) {
            for (ValueEncoder e : List.of(plain, lzf)) {
                RdbValue v = e.string(b(s));
                assertThat(v.type()).isEqualTo(RdbType.STRING);
                DecodedValue d = ValueDecoder.decode(v);
                assertThat(new String(((DecodedValue.StringValue) d).bytes(), StandardCharsets.UTF_8)).isEqualTo(s);
            }
        }
        assertThat(lzf.string(b("abc".repeat(300))).encoded()[0] & 0xff).as("LZF-encoded string").isEqualTo(0xC3);
    }

    @Test
    void listsWithPackedPlainAndLzfNodes() throws Exception {
        List<byte[]> elems = strings(5000, "element-");
        elems.add(b("-12"));
        elems.add(new byte[20_000]);
        elems.add(b("9223372036854775807"));
        for (ValueEncoder e : List.of(new ValueEncoder(), new ValueEncoder(ValueEncoder.Options.defaults().withPlainNodes(10_000)),
                new ValueEncoder(ValueEncoder.Options.defaults().withLzf(true)))) {
            RdbValue v = e.list(elems);
            assertThat(v.type()).isEqualTo(RdbType.LIST_QUICKLIST_2);
            assertThat(texts(((DecodedValue.ListValue) ValueDecoder.decode(v)).elements())).isEqualTo(texts(elems));
        }
    }

    @Test
    void setsAsIntsetOrHashTable() throws Exception {
        List<byte[]> ints = List.of(b("3"), b("-70000"), b("5000000000"), b("0"));
        RdbValue v = new ValueEncoder().set(ints);
        assertThat(v.type()).isEqualTo(RdbType.SET_INTSET);
        assertThat(texts(((DecodedValue.SetValue) ValueDecoder.decode(v)).members()))
                .containsExactlyInAnyOrderElementsOf(texts(ints));
        List<byte[]> words = strings(1000, "member-");
        RdbValue w = new ValueEncoder().set(words);
        assertThat(w.type()).isEqualTo(RdbType.SET);
        assertThat(texts(((DecodedValue.SetValue) ValueDecoder.decode(w)).members())).isEqualTo(texts(words));
    }

    @Test
    void hashesAsListpackOrHashTable() throws Exception {
        List<byte[]> small = List.of(b("f1"), b("v1"), b("f2"), b("22"), b("f3"), b(""));
        RdbValue v = new ValueEncoder().hash(small);
        assertThat(v.type()).isEqualTo(RdbType.HASH_LISTPACK);
        assertThat(texts(((DecodedValue.HashValue) ValueDecoder.decode(v)).fieldsAndValues())).isEqualTo(texts(small));
        List<byte[]> big = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            big.add(b("field-" + i));
            big.add(b("value-" + i * 31));
        }
        RdbValue w = new ValueEncoder().hash(big);
        assertThat(w.type()).isEqualTo(RdbType.HASH);
        assertThat(texts(((DecodedValue.HashValue) ValueDecoder.decode(w)).fieldsAndValues())).isEqualTo(texts(big));
    }

    @Test
    void zsetsAsListpackOrSkiplistWithInfinities() throws Exception {
        List<byte[]> members = List.of(b("a"), b("b"), b("c"), b("d"), b("e"));
        double[] scores = {1.5, -2, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1};
        RdbValue v = new ValueEncoder().zset(members, scores);
        assertThat(v.type()).isEqualTo(RdbType.ZSET_LISTPACK);
        DecodedValue.ZSetValue z = (DecodedValue.ZSetValue) ValueDecoder.decode(v);
        assertThat(texts(z.members())).containsExactly("d", "b", "e", "a", "c");
        assertThat(z.scores()).containsExactly(Double.NEGATIVE_INFINITY, -2, 0.1, 1.5, Double.POSITIVE_INFINITY);
        Random r = new Random(3);
        List<byte[]> many = strings(400, "m");
        double[] s = new double[400];
        for (int i = 0; i < s.length; i++) {
            s[i] = r.nextGaussian() * 1e9;
        }
        RdbValue w = new ValueEncoder().zset(many, s);
        assertThat(w.type()).isEqualTo(RdbType.ZSET_2);
        DecodedValue.ZSetValue zz = (DecodedValue.ZSetValue) ValueDecoder.decode(w);
        assertThat(zz.members()).hasSize(400);
        for (int i = 0; i < 400; i++) {
            int orig = Integer.parseInt(new String(zz.members().get(i), StandardCharsets.US_ASCII).substring(1));
            assertThat(zz.scores()[i]).isEqualTo(s[orig]);
        }
    }

    @Test
    void streamsWithGroupsPendingEntriesAndConsumers() throws Exception {
        List<StreamEntry> entries = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            List<byte[]> fv = i % 7 == 0 ? List.of(b("other"), b("x" + i)) : List.of(b("name"), b("n" + i), b("age"), b(Integer.toString(i)));
            entries.add(new StreamEntry(new StreamId(1000 + i / 3, i % 3), fv));
        }
        StreamId last = entries.get(entries.size() - 1).id();
        List<DecodedValue.PendingEntry> pel = List.of(new DecodedValue.PendingEntry(entries.get(5).id(), 1_700_000_000_123L, 2),
                new DecodedValue.PendingEntry(entries.get(9).id(), 1_700_000_000_456L, 1));
        List<StreamConsumer> consumers = List.of(
                new StreamConsumer(b("alice"), 1_700_000_001_000L, 1_700_000_002_000L, List.of(entries.get(5).id(), entries.get(9).id())),
                new StreamConsumer(b("bob"), 1_700_000_003_000L, 1_700_000_003_000L, List.of()));
        List<StreamGroup> groups = List.of(new StreamGroup(b("grp"), entries.get(9).id(), 10, pel, consumers),
                new StreamGroup(b("empty"), StreamId.ZERO, 0, List.of(), List.of()));
        DecodedValue.StreamMeta meta = new DecodedValue.StreamMeta(250, last, entries.get(0).id(), new StreamId(999, 1), 260, groups);
        RdbValue v = new ValueEncoder().stream(entries, meta);
        assertThat(v.type()).isEqualTo(RdbType.STREAM_LISTPACKS_3);
        DecodedValue.StreamValue d = (DecodedValue.StreamValue) ValueDecoder.decode(v);
        assertThat(d.entries()).hasSize(250);
        for (int i = 0; i < 250; i++) {
            assertThat(d.entries().get(i).id()).isEqualTo(entries.get(i).id());
            assertThat(texts(d.entries().get(i).fieldsAndValues())).isEqualTo(texts(entries.get(i).fieldsAndValues()));
        }
        DecodedValue.StreamMeta m = d.meta();
        assertThat(m.length()).isEqualTo(250);
        assertThat(m.lastId()).isEqualTo(last);
        assertThat(m.firstId()).isEqualTo(entries.get(0).id());
        assertThat(m.maxDeletedId()).isEqualTo(new StreamId(999, 1));
        assertThat(m.entriesAdded()).isEqualTo(260);
        assertThat(m.groups()).hasSize(2);
        StreamGroup g = m.groups().get(0);
        assertThat(new String(g.name(), StandardCharsets.US_ASCII)).isEqualTo("grp");
        assertThat(g.lastDeliveredId()).isEqualTo(entries.get(9).id());
        assertThat(g.entriesRead()).isEqualTo(10);
        assertThat(g.pending()).isEqualTo(pel);
        assertThat(g.consumers()).hasSize(2);
        assertThat(new String(g.consumers().get(0).name(), StandardCharsets.US_ASCII)).isEqualTo("alice");
        assertThat(g.consumers().get(0).seenTimeMs()).isEqualTo(1_700_000_001_000L);
        assertThat(g.consumers().get(0).activeTimeMs()).isEqualTo(1_700_000_002_000L);
        assertThat(g.consumers().get(0).pending()).containsExactly(entries.get(5).id(), entries.get(9).id());
    }

    @Test
    void dragonflyTypesWithMemberExpiryAndJson() throws Exception {
        long t = ValueEncoder.MEMBER_EXPIRY_BASE + 100_000;
        RdbValue h = new ValueEncoder().hashWithExpiry(List.of(b("f"), b("v"), b("g"), b("w")), new long[] {t, -1});
        assertThat(h.type()).isEqualTo(RdbType.DF_HASH_WITH_EXPIRY);
        DecodedValue.HashValue hd = (DecodedValue.HashValue) ValueDecoder.decode(h);
        assertThat(texts(hd.fieldsAndValues())).containsExactly("f", "v", "g", "w");
        assertThat(hd.expireAtSec()).containsExactly(t, -1);
        RdbValue s = new ValueEncoder().setWithExpiry(List.of(b("m1"), b("m2")), new long[] {-1, t});
        DecodedValue.SetValue sd = (DecodedValue.SetValue) ValueDecoder.decode(s);
        assertThat(texts(sd.members())).containsExactly("m1", "m2");
        assertThat(sd.expireAtSec()).containsExactly(-1, t);
        RdbValue j = new ValueEncoder().encode(new DecodedValue.JsonValue(b("{\"a\":[1,2]}")));
        assertThat(j.type()).isEqualTo(RdbType.DF_JSON);
        assertThat(new String(((DecodedValue.JsonValue) ValueDecoder.decode(j)).text(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":[1,2]}");
    }
}
