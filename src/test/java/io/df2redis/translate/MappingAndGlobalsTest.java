package io.df2redis.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Db mapping rules, configuration checks against the target, and what global commands become. */
class MappingAndGlobalsTest {
    static List<byte[]> cmd(String... a) {
        return java.util.Arrays.stream(a).map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Test
    void identityKeepsDbsOnStandaloneAndOnlyDbZeroOnACluster() {
        DbMapping id = DbMapping.identity();
        assertThat(id.target(5, false, null)).isEqualTo(5);
        assertThat(id.target(0, true, null)).isEqualTo(0);
        assertThatThrownBy(() -> id.target(1, true, "k".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnmappedDatabaseException.class).hasMessageContaining("source db 1").hasMessageContaining("\"k\"");
    }

    @Test
    void explicitMappingsNeverMergeSilently() {
        assertThatThrownBy(() -> DbMapping.of(Map.of(0, 0, 1, 0), false))
                .hasMessageContaining("source dbs 0 and 1 both map to target db 0").hasMessageContaining("allow-merge");
        DbMapping merged = DbMapping.of(Map.of(0, 0, 1, 0, 2, DbMapping.IGNORED), true);
        assertThat(merged.target(1, true, null)).isEqualTo(0);
        assertThat(merged.ignored(2)).isTrue();
        assertThat(merged.shared(0, 0)).isTrue();
        assertThatThrownBy(() -> merged.target(3, false, null)).isInstanceOf(UnmappedDatabaseException.class);
        assertThat(DbMapping.parse("0:0, 1:3, 5:ignore", false).target(1, false, null)).isEqualTo(3);
        assertThat(DbMapping.parse("0:0, 1:3, 5:ignore", false).ignored(5)).isTrue();
        assertThat(DbMapping.parse("identity", false).isIdentity()).isTrue();
        assertThatThrownBy(() -> DbMapping.parse("0-1", false)).hasMessageContaining("'0-1'");
    }

    @Test
    void aClusterTargetOnlyTakesDbZero() {
        TranslateConfig cfg = TranslateConfig.builder().dbMapping(DbMapping.of(Map.of(0, 0, 1, 1), false)).build();
        assertThatThrownBy(() -> cfg.validate(TargetProfile.redis70(true)))
                .hasMessageContaining("source db 1 maps to db 1 but a cluster target only has db 0");
        cfg.validate(TargetProfile.redis70(false));
    }

    @Test
    void transcodeNeedsAnEquivalentOnTheTarget() {
        TargetProfile r70 = TargetProfile.redis70(false);
        assertThatThrownBy(() -> TranslateConfig.builder().policy(DfFamily.BLOOM, DfTypePolicy.TRANSCODE).build().validate(r70))
                .hasMessageContaining("translate.dragonfly-types.bloom=transcode");
        assertThatThrownBy(() -> TranslateConfig.builder().policy(DfFamily.SET_MEMBER_TTL, DfTypePolicy.TRANSCODE).build()
                .validate(r70)).hasMessageContaining("drop-unsupported-member-ttls");
        TranslateConfig.builder().policy(DfFamily.HASH_FIELD_TTL, DfTypePolicy.TRANSCODE).build()
                .validate(TargetProfile.of("7.4.1", 12, false, Set.of()));
        assertThatThrownBy(() -> TranslateConfig.builder().unknownCommands(DfTypePolicy.TRANSCODE).build())
                .hasMessageContaining("only skip or fail");
    }

    @Test
    void settingsByNameAndClearErrorsNamingTheSetting() {
        TranslateConfig c = TranslateConfig.fromSettings(Map.of(
                "translate.db-mapping", "0:0, 1:0, 5:ignore",
                "translate.allow-merge", "true",
                "translate.merged-flush", "flush-target-db",
                "translate.dragonfly-types.json", "skip",
                "translate.dragonfly-types.set-member-ttl", "transcode",
                "translate.drop-unsupported-member-ttls", "true",
                "translate.snapshot-write", "native",
                "translate.native-batch.elements", "64",
                "translate.sharding", "hash-tag",
                "source.url", "redis://ignored:6379"));
        assertThat(c.dbMapping().target(1, true, null)).isZero();
        assertThat(c.dbMapping().ignored(5)).isTrue();
        assertThat(c.mergedFlush()).isEqualTo(TranslateConfig.MergedFlush.FLUSH_TARGET_DB);
        assertThat(c.policy(DfFamily.JSON)).isEqualTo(DfTypePolicy.SKIP);
        assertThat(c.policy(DfFamily.SET_MEMBER_TTL)).isEqualTo(DfTypePolicy.TRANSCODE);
        assertThat(c.policy(DfFamily.BLOOM)).isEqualTo(DfTypePolicy.FAIL);
        assertThat(c.snapshotWrite()).isEqualTo(TranslateConfig.SnapshotWrite.NATIVE);
        assertThat(c.nativeBatchElements()).isEqualTo(64);
        assertThat(c.sharding()).isEqualTo(DragonflySharding.HASH_TAG);
        c.validate(TargetProfile.redis70(true));
        assertThatThrownBy(() -> TranslateConfig.fromSettings(Map.of("translate.dragonfly-types.jsn", "skip")))
                .hasMessageContaining("translate.dragonfly-types.jsn=skip").hasMessageContaining("unknown Dragonfly type family");
        assertThatThrownBy(() -> TranslateConfig.fromSettings(Map.of("translate.snapshot-writes", "auto")))
                .hasMessageContaining("translate.snapshot-writes=auto: unknown setting");
        assertThatThrownBy(() -> TranslateConfig.fromSettings(Map.of("translate.allow-merge", "yes")))
                .hasMessageContaining("translate.allow-merge=yes: expected true or false");
        assertThatThrownBy(() -> TranslateConfig.fromSettings(Map.of("translate.db-mapping", "0:0,1:0")))
                .hasMessageContaining("translate.db-mapping=0:0,1:0").hasMessageContaining("allow-merge");
    }

    @Test
    void restoreAcceptsTypesByRdbVersion() {
        TargetProfile r62 = TargetProfile.of("6.2.14", 9, false, Set.of());
        TargetProfile r70 = TargetProfile.redis70(false);
        TargetProfile r72 = TargetProfile.of("7.2.4", 11, false, Set.of());
        TargetProfile r74 = TargetProfile.of("7.4.0", 12, false, Set.of());
        assertThat(r62.restores(io.df2redis.dragonfly.rdb.RdbType.HASH_LISTPACK)).isFalse();
        assertThat(r70.restores(io.df2redis.dragonfly.rdb.RdbType.LIST_QUICKLIST_2)).isTrue();
        assertThat(r70.restores(io.df2redis.dragonfly.rdb.RdbType.STREAM_LISTPACKS_3)).isFalse();
        assertThat(r72.restores(io.df2redis.dragonfly.rdb.RdbType.STREAM_LISTPACKS_3)).isTrue();
        assertThat(r72.restores(io.df2redis.dragonfly.rdb.RdbType.SET_LISTPACK)).isTrue();
        assertThat(r70.restores(io.df2redis.dragonfly.rdb.RdbType.STREAM_LISTPACKS_2)).isTrue();
        assertThat(r74.restores(io.df2redis.dragonfly.rdb.RdbType.STREAM_LISTPACKS_3)).isTrue();
        assertThat(r74.restores(io.df2redis.dragonfly.rdb.RdbType.DF_JSON)).isFalse();
        assertThat(r74.hashFieldTtl()).isTrue();
        assertThat(r72.hashFieldTtl()).isFalse();
    }

    @Test
    void flushesUnderTheMapping() {
        TranslationCounters c = new TranslationCounters();
        GlobalTranslator identity = new GlobalTranslator(TranslateConfig.builder().build(), TargetProfile.redis70(false), c);
        assertThat(identity.translate(0, cmd("FLUSHALL")).all()).isTrue();
        assertThat(identity.translate(2, cmd("FLUSHDB", "ASYNC"))).satisfies(f -> {
            assertThat(f.dbs()).containsExactly(2);
            assertThat(f.async()).isTrue();
        });
        GlobalTranslator explicit = new GlobalTranslator(TranslateConfig.builder()
                .dbMapping(DbMapping.of(Map.of(0, 4, 1, 5, 2, DbMapping.IGNORED), false)).build(), TargetProfile.redis70(false), c);
        assertThat(explicit.translate(0, cmd("FLUSHALL"))).satisfies(f -> {
            assertThat(f.all()).isFalse();
            assertThat(f.dbs()).containsExactlyInAnyOrder(4, 5);
        });
        assertThat(explicit.translate(1, cmd("FLUSHDB")).dbs()).containsExactly(5);
        assertThat(explicit.translate(2, cmd("FLUSHDB")).isNothing()).isTrue();
        TranslateConfig mergedCfg = TranslateConfig.builder().dbMapping(DbMapping.of(Map.of(0, 0, 2, 0), true)).build();
        GlobalTranslator merged = new GlobalTranslator(mergedCfg, TargetProfile.redis70(true), c);
        assertThatThrownBy(() -> merged.translate(2, cmd("FLUSHDB")))
                .hasMessageContaining("also holds other source dbs").hasMessageContaining("merged-flush");
        GlobalTranslator flushAll = new GlobalTranslator(TranslateConfig.builder().dbMapping(mergedCfg.dbMapping())
                .mergedFlush(TranslateConfig.MergedFlush.FLUSH_TARGET_DB).build(), TargetProfile.redis70(true), c);
        assertThat(flushAll.translate(2, cmd("FLUSHDB")).dbs()).containsExactly(0);
        TargetFlush slots = identity.translate(0, cmd("DFLYCLUSTER", "FLUSHSLOTS", "0", "100", "5000", "5001"));
        assertThat(slots.dbs()).containsExactly(0);
        assertThat(slots.slotRanges()).containsExactly(new int[] {0, 100}, new int[] {5000, 5001});
        assertThat(c.get(Outcome.GLOBAL_COMMANDS)).as("translated, not failed").isEqualTo(7);
    }
}
