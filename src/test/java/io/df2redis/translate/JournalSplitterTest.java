package io.df2redis.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.redis.Slots;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalSplitterTest {
    private final TranslationCounters counters = new TranslationCounters();
    private final List<SkipReport> reports = new ArrayList<>();

    static List<byte[]> cmd(String... a) {
        return Arrays.stream(a).map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    static List<String> text(List<byte[]> args) {
        return args.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    private JournalSplitter splitter(TranslateConfig cfg, int flow, int flows) {
        return new JournalSplitter(cfg, flow, flows, counters, reports::add);
    }

    /** A single-flow master owns every key: no stray filtering gets in the way. */
    private List<SlotCommand> split(String... a) {
        return splitter(TranslateConfig.builder().build(), 0, 1).split(0, cmd(a));
    }

    @Test
    void msetIsCutIntoOneMsetPerSlotKeepingPairOrder() {
        List<SlotCommand> units = split("MSET", "a", "1", "b", "2", "{a}x", "3", "c", "4");
        assertThat(units).hasSizeGreaterThan(1);
        int slotA = Slots.slot("a".getBytes(StandardCharsets.UTF_8));
        SlotCommand ua = units.stream().filter(u -> u.slot() == slotA).findFirst().orElseThrow();
        assertThat(text(ua.args())).containsExactly("MSET", "a", "1", "{a}x", "3");
        int total = units.stream().mapToInt(u -> u.args().size() - 1).sum();
        assertThat(total).isEqualTo(8);
        for (SlotCommand u : units) {
            for (int i = 1; i < u.args().size(); i += 2) {
                assertThat(Slots.slot(u.args().get(i))).isEqualTo(u.slot());
            }
        }
        assertThat(counters.get(Outcome.SPLIT)).isEqualTo(1);
    }

    @Test
    void delAndUnlinkAreCutPerSlot() {
        List<SlotCommand> units = split("DEL", "a", "b", "{a}c");
        assertThat(units).hasSize(2);
        assertThat(text(units.get(0).args())).containsExactly("DEL", "a", "{a}c");
        assertThat(text(units.get(1).args())).containsExactly("DEL", "b");
        assertThat(split("UNLINK", "x")).singleElement().satisfies(u -> assertThat(text(u.args())).containsExactly("UNLINK", "x"));
    }

    @Test
    void msetnxAsJournaledSplitsLikeMset() {
        assertThat(split("MSETNX", "a", "1", "b", "2")).hasSize(2);
    }

    @Test
    void crossSlotRenameGoesToBothSlotsAndSameSlotToOne() {
        List<SlotCommand> units = split("RENAME", "a", "b");
        assertThat(units).extracting(SlotCommand::slot)
                .containsExactly(Slots.slot("a".getBytes(StandardCharsets.UTF_8)), Slots.slot("b".getBytes(StandardCharsets.UTF_8)));
        assertThat(text(units.get(1).key() == null ? List.of() : List.of(units.get(1).key()))).containsExactly("b");
        assertThat(split("RENAMENX", "{t}a", "{t}b")).hasSize(1);
        assertThat(split("COPY", "a", "b", "REPLACE")).hasSize(2);
    }

    @Test
    void unsplittableCrossSlotCommandsFollowThePolicy() {
        assertThatThrownBy(() -> split("SINTERSTORE", "d", "a", "b"))
                .isInstanceOf(UntranslatableCommandException.class).hasMessageContaining("SINTERSTORE")
                .hasMessageContaining("\"d\"");
        JournalSplitter skip = splitter(TranslateConfig.builder().crossSlotCommands(DfTypePolicy.SKIP).build(), 0, 1);
        assertThat(skip.split(0, cmd("ZUNIONSTORE", "d", "2", "a", "b"))).isEmpty();
        assertThat(reports).singleElement().satisfies(r -> assertThat(r.what()).isEqualTo("ZUNIONSTORE"));
        assertThat(split("SORT", "{x}a", "ALPHA", "STORE", "{x}d")).hasSize(1);
        assertThatThrownBy(() -> split("SORT", "a", "STORE", "d")).isInstanceOf(UntranslatableCommandException.class);
        // one slot: passes
        assertThat(split("SINTERSTORE", "{x}d", "{x}a", "{x}b")).hasSize(1);
        assertThat(split("ZUNIONSTORE", "{x}d", "2", "{x}a", "{x}b", "WEIGHTS", "1", "2")).hasSize(1);
    }

    @Test
    void strayWritesAreDroppedAndCounted() {
        // journal-rewrites: PFMERGE's SET hll:m is journaled on flows 2 and 3; one of them owns it.
        int owner = DragonflySharding.XXH64.shard("hll:m".getBytes(StandardCharsets.UTF_8), 4);
        int other = owner == 2 ? 3 : 2;
        TranslateConfig cfg = TranslateConfig.builder().build();
        assertThat(splitter(cfg, owner, 4).split(0, cmd("SET", "hll:m", "HYLL"))).hasSize(1);
        assertThat(splitter(cfg, other, 4).split(0, cmd("SET", "hll:m", "HYLL"))).isEmpty();
        assertThat(counters.get(Outcome.STRAY_DROPPED)).isEqualTo(1);
    }

    @Test
    void commandsThatNeverReachTheTargetAreDroppedHere() {
        assertThat(split("STICK", "a", "b")).isEmpty();
        assertThat(split("SCRIPT", "LOAD", "return 1")).isEmpty();
        assertThat(split("DFLYCLUSTER", "CONFIG", "x")).isEmpty();
        assertThat(counters.get(Outcome.STICK_DROPPED)).isEqualTo(2);
        assertThat(counters.get(Outcome.SCRIPT_SKIPPED)).isEqualTo(1);
        assertThat(counters.get(Outcome.SERVER_COMMAND_SKIPPED)).isEqualTo(1);
    }

    @Test
    void ignoredDbsAndUnknownCommands() {
        TranslateConfig cfg = TranslateConfig.builder().dbMapping(DbMapping.of(Map.of(0, 0, 3, DbMapping.IGNORED), false))
                .build();
        JournalSplitter s = splitter(cfg, 0, 1);
        assertThat(s.split(3, cmd("SET", "a", "b"))).isEmpty();
        assertThat(counters.get(Outcome.DB_IGNORED)).isEqualTo(1);
        assertThatThrownBy(() -> s.split(0, cmd("FROBNICATE", "k"))).isInstanceOf(UntranslatableCommandException.class)
                .hasMessageContaining("FROBNICATE").hasMessageContaining("\"k\"");
        JournalSplitter lenient = splitter(TranslateConfig.builder().unknownCommands(DfTypePolicy.SKIP).build(), 0, 1);
        assertThat(lenient.split(0, cmd("FROBNICATE", "k"))).isEmpty();
        assertThat(counters.get(Outcome.COMMAND_SKIPPED)).isEqualTo(1);
    }

    @Test
    void keylessDragonflyCommandsFollowTheirFamilyPolicy() {
        assertThatThrownBy(() -> split("FT.CREATE", "idx", "SCHEMA", "f", "TEXT"))
                .isInstanceOf(UnsupportedValueException.class).hasMessageContaining("search");
        JournalSplitter s = splitter(TranslateConfig.builder().policy(DfFamily.SEARCH, DfTypePolicy.SKIP).build(), 0, 1);
        assertThat(s.split(0, cmd("FT.CREATE", "idx", "SCHEMA", "f", "TEXT"))).isEmpty();
        assertThat(counters.skipped(DfFamily.SEARCH)).isEqualTo(1);
    }

    @Test
    void keyedDragonflyCommandsPassTheSplitterWithTheirKey() {
        assertThat(split("JSON.SET", "j", "$", "1")).singleElement()
                .satisfies(u -> assertThat(new String(u.key(), StandardCharsets.UTF_8)).isEqualTo("j"));
        assertThat(split("XGROUP", "CREATECONSUMER", "s", "g", "c")).singleElement()
                .satisfies(u -> assertThat(new String(u.key(), StandardCharsets.UTF_8)).isEqualTo("s"));
    }
}
