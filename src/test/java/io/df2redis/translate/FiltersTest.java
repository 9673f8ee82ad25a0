package io.df2redis.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.redis.Slots;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code filter.*} and {@code map.key-prefix}: Redis glob semantics and regular expressions,
 * include/exclude, renaming both ways, and the journal splitter applying them per key (multi-key
 * commands split, moves across the filter's edge), each dropped key or command counted per reason.
 */
class FiltersTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<byte[]> cmd(String... a) {
        List<byte[]> l = new ArrayList<>();
        for (String s : a) {
            l.add(b(s));
        }
        return l;
    }

    static List<String> text(List<byte[]> args) {
        return args.stream().map(x -> new String(x, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void globsReadAsRedisReadsThem() {
        assertThat(KeyPattern.parse("user:*").matches(b("user:1"))).isTrue();
        assertThat(KeyPattern.parse("user:*").matches(b("users:1"))).isFalse();
        assertThat(KeyPattern.parse("h?llo").matches(b("hallo"))).isTrue();
        assertThat(KeyPattern.parse("h?llo").matches(b("hllo"))).isFalse();
        assertThat(KeyPattern.parse("h[ae]llo").matches(b("hello"))).isTrue();
        assertThat(KeyPattern.parse("h[^e]llo").matches(b("hello"))).isFalse();
        assertThat(KeyPattern.parse("h[^e]llo").matches(b("hallo"))).isTrue();
        assertThat(KeyPattern.parse("k[a-c]").matches(b("kb"))).isTrue();
        assertThat(KeyPattern.parse("k[a-c]").matches(b("kd"))).isFalse();
        assertThat(KeyPattern.parse("a\\*b").matches(b("a*b"))).isTrue();
        assertThat(KeyPattern.parse("a\\*b").matches(b("axb"))).isFalse();
        assertThat(KeyPattern.parse("a.b").matches(b("axb"))).isFalse(); // a dot is a dot
        assertThat(KeyPattern.parse("*").matches(new byte[] {0, (byte) 0xff, '\n'})).isTrue();
        assertThat(KeyPattern.parse("é*").matches(b("ecole"))).isFalse();
        assertThat(KeyPattern.parse("é*").matches(b("été"))).isTrue();
        assertThat(KeyPattern.parse("regex:order:[0-9]+").matches(b("order:42"))).isTrue();
        assertThat(KeyPattern.parse("regex:order:[0-9]+").matches(b("order:42x"))).isFalse();
        assertThatThrownBy(() -> KeyPattern.parse("regex:(")).hasMessageContaining("pattern 'regex:('");
        assertThatThrownBy(() -> KeyPattern.parse("a[bc")).hasMessageContaining("[ without ]");
    }

    @Test
    void includeThenExcludeAndRenamingBothWays() {
        FilterConfig f = FilterConfig.parse("user:*,order:*", "user:tmp:*", null, null, null, "user::u:,order::o:");
        assertThat(f.keyIncluded(b("user:1"))).isTrue();
        assertThat(f.keyIncluded(b("user:tmp:1"))).isFalse();
        assertThat(f.keyIncluded(b("cart:1"))).isFalse();
        assertThat(new String(f.mapKey(b("user:1")), StandardCharsets.UTF_8)).isEqualTo("u:1");
        assertThat(new String(f.mapKey(b("cart:1")), StandardCharsets.UTF_8)).isEqualTo("cart:1");
        assertThat(new String(f.unmapKey(b("u:1")), StandardCharsets.UTF_8)).isEqualTo("user:1");
        assertThat(f.unmapKey(b("user:1"))).as("every source user:* key is renamed: no source key has this name in the target").isNull();
        assertThat(f.ownsTargetKey(b("o:7"))).isTrue();
        assertThat(f.ownsTargetKey(b("u:tmp:1"))).as("its source name is excluded").isFalse();
        assertThat(f.ownsTargetKey(b("cart:1"))).isFalse();
        assertThat(f.selectsKeys()).isTrue();
        assertThat(FilterConfig.NONE.isNone()).isTrue();
        // Without a "::" the first colon separates: "cache-" → "c-".
        assertThat(new String(FilterConfig.parse(null, null, null, null, null, "cache-:c-").mapKey(b("cache-9")),
                StandardCharsets.UTF_8)).isEqualTo("c-9");
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> FilterConfig.parse(null, null, "0,x", null, null, null)).hasMessage("filter.dbs: 'x' is not a db number");
        assertThatThrownBy(() -> FilterConfig.parse(null, null, null, "string,strng", null, null))
                .hasMessageStartingWith("filter.types: 'strng' is not a type; one of ");
        assertThatThrownBy(() -> FilterConfig.parse(null, null, null, null, null, ":x")).hasMessageStartingWith("map.key-prefix: ':x'");
        assertThatThrownBy(() -> FilterConfig.parse("a[", null, null, null, null, null)).hasMessageStartingWith("filter.keys.include: ");
    }

    private final TranslationCounters counters = new TranslationCounters();
    private final List<SkipReport> reports = new ArrayList<>();
    private final List<String> fetched = new ArrayList<>();

    private JournalSplitter splitter(FilterConfig f) {
        TranslateConfig cfg = TranslateConfig.builder().filter(f).build();
        return new JournalSplitter(cfg, 0, 1, counters, reports::add, (db, key) -> {
            fetched.add(db + "/" + new String(key, StandardCharsets.UTF_8));
            return cmd("RESTORE", new String(key, StandardCharsets.UTF_8), "0", "payload", "REPLACE");
        });
    }

    @Test
    void multiKeyCommandsKeepTheIncludedKeysRenamed() {
        JournalSplitter s = splitter(FilterConfig.parse(null, "tmp:*", null, null, null, "a::x:"));
        List<SlotCommand> units = s.split(0, cmd("MSET", "a:1", "1", "tmp:1", "2", "b", "3"));
        assertThat(units).extracting(u -> text(u.args())).containsExactlyInAnyOrder(
                List.of("MSET", "x:1", "1"), List.of("MSET", "b", "3"));
        assertThat(units).allSatisfy(u -> assertThat(u.slot()).isEqualTo(Slots.slot(u.key())));
        assertThat(s.split(0, cmd("DEL", "tmp:1", "tmp:2"))).isEmpty();
        assertThat(text(s.split(0, cmd("SET", "a:9", "v")).get(0).args())).containsExactly("SET", "x:9", "v");
        assertThat(counters.get(Outcome.FILTER_KEY)).isEqualTo(3);
    }

    @Test
    void aCommandWithKeysOnBothSidesIsSkippedAndReported() {
        JournalSplitter s = splitter(FilterConfig.parse(null, "tmp:*", null, null, null, null));
        assertThat(s.split(0, cmd("SUNIONSTORE", "{t}dst", "{t}a", "tmp:{t}b"))).isEmpty();
        assertThat(counters.get(Outcome.FILTER_MIXED_SKIPPED)).isEqualTo(1);
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).toString()).contains("both sides of filter.keys");
    }

    @Test
    void movesAcrossTheEdgeOfTheFilter() {
        JournalSplitter s = splitter(FilterConfig.parse(null, "tmp:*", null, null, null, "k::n:"));
        // Both in: renamed, the usual two halves when the slots differ.
        List<SlotCommand> in = s.split(0, cmd("RENAME", "k:1", "k:2"));
        assertThat(in).allSatisfy(u -> assertThat(text(u.args())).containsExactly("RENAME", "n:1", "n:2"));
        // Out of the filter: the target's copy of the source goes.
        List<SlotCommand> out = s.split(0, cmd("RENAME", "k:3", "tmp:3"));
        assertThat(out).extracting(u -> text(u.args())).containsExactly(List.of("DEL", "n:3"));
        assertThat(s.split(0, cmd("COPY", "k:3", "tmp:3"))).isEmpty();
        // Into the filter: the destination's value is read from the source.
        List<SlotCommand> movedIn = s.split(2, cmd("RENAME", "tmp:4", "k:4"));
        assertThat(fetched).containsExactly("2/k:4");
        assertThat(movedIn).extracting(u -> text(u.args())).containsExactly(List.of("RESTORE", "n:4", "0", "payload", "REPLACE"));
        assertThat(movedIn.get(0).slot()).isEqualTo(Slots.slot(b("n:4")));
        // Both out: nothing.
        assertThat(s.split(0, cmd("RENAME", "tmp:5", "tmp:6"))).isEmpty();
        assertThat(counters.get(Outcome.FILTER_MOVED_OUT)).isEqualTo(2);
        assertThat(counters.get(Outcome.FILTER_MOVED_IN)).isEqualTo(1);
        assertThat(counters.get(Outcome.FILTER_KEY)).isEqualTo(2);
    }

    @Test
    void dbsTypesAndCommandsAreDroppedAndCounted() {
        JournalSplitter s = splitter(FilterConfig.parse(null, null, "0,2", "string,hash", "PUBLISH,SETRANGE", null));
        assertThat(s.split(1, cmd("SET", "a", "1"))).isEmpty();
        assertThat(s.split(0, cmd("SADD", "s", "m"))).isEmpty(); // a set command: type left out
        assertThat(s.split(0, cmd("SETRANGE", "a", "0", "x"))).isEmpty();
        assertThat(s.split(0, cmd("HSET", "h", "f", "v"))).hasSize(1);
        assertThat(s.split(2, cmd("DEL", "s"))).hasSize(1); // generic: passes
        assertThat(counters.get(Outcome.FILTER_DB)).isEqualTo(1);
        assertThat(counters.get(Outcome.FILTER_TYPE)).isEqualTo(1);
        assertThat(counters.get(Outcome.FILTER_COMMAND)).isEqualTo(1);
    }

    @Test
    void aFlushOfALeftOutDbIsNothingAndFlushallOnlyTheCopiedDbs() {
        TranslateConfig cfg = TranslateConfig.builder().filter(FilterConfig.parse(null, null, "0,2", null, null, null)).build();
        GlobalTranslator g = new GlobalTranslator(cfg, TargetProfile.redis70(false), counters);
        assertThat(g.translate(new io.df2redis.dragonfly.event.FlowEvent.GlobalCommand(1, 7, 1, cmd("FLUSHDB"))).isNothing()).isTrue();
        TargetFlush all = g.translate(new io.df2redis.dragonfly.event.FlowEvent.GlobalCommand(0, 8, 2, cmd("FLUSHALL")));
        assertThat(all.all()).isFalse();
        assertThat(all.dbs()).containsExactlyInAnyOrder(0, 2);
    }
}
