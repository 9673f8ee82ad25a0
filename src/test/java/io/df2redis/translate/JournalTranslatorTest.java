package io.df2redis.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.redis.RedisCommand;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The command shapes for targets this machine has no server for (Redis ≥ 7.4 with hash-field TTLs,
 * RedisJSON): what would be sent. The Redis 7.0 behaviour is proved on a real server by
 * {@link ProtocolRewritesRedisTest}.
 */
class JournalTranslatorTest {
    static final long NOW = 1_800_000_000_000L;
    final TranslationCounters counters = new TranslationCounters();
    final List<SkipReport> reports = new ArrayList<>();
    final List<RedisCommand> out = new ArrayList<>();

    JournalTranslator translator(TargetProfile target, TranslateConfig cfg) {
        ObjectTranslator objects = new ObjectTranslator(cfg, target, () -> NOW, counters, reports::add);
        return new JournalTranslator(cfg, target, objects, () -> NOW, counters, reports::add);
    }

    static List<byte[]> cmd(String... a) {
        return Arrays.stream(a).map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    static List<String> text(RedisCommand c) {
        return Arrays.stream(c.args()).map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    final TargetProfile redis74 = TargetProfile.of("7.4.2", 12, false, Set.of());
    final TranslateConfig ttlTranscode = TranslateConfig.builder().policy(DfFamily.HASH_FIELD_TTL, DfTypePolicy.TRANSCODE)
            .policy(DfFamily.SET_MEMBER_TTL, DfTypePolicy.TRANSCODE).dropUnsupportedMemberTtls(true).build();

    @Test
    void hsetexCarriesAnAbsoluteFieldExpiryOn74() {
        JournalTranslator t = translator(redis74, ttlTranscode);
        t.translate(0, cmd("HSETEX", "h", "NX", "KEEPTTL", "600", "f", "v"), out::add);
        List<String> a = text(out.get(0));
        assertThat(a.get(0)).isEqualTo("EVAL");
        assertThat(a.get(1)).isEqualTo(Scripts.HSETEX);
        assertThat(a.subList(2, a.size())).containsExactly("1", "h", "NX", "1", Long.toString(NOW + 600_000), "f", "v");
        out.clear();
        t.translate(0, cmd("HSETEX", "h", "FXX", "PXAT", "1900000000000", "FIELDS", "1", "f", "v"), out::add);
        assertThat(text(out.get(0)).subList(2, 9)).containsExactly("1", "h", "FXX", "0", "1900000000000", "f", "v");
        assertThat(counters.get(Outcome.MEMBER_TTL_DROPPED)).isZero();
    }

    @Test
    void fieldExpireAndHexpireOn74() {
        JournalTranslator t = translator(redis74, ttlTranscode);
        t.translate(0, cmd("FIELDEXPIRE", "h", "900", "a", "b"), out::add);
        assertThat(text(out.get(0)).get(1)).isEqualTo(Scripts.FIELDEXPIRE);
        assertThat(text(out.get(0)).subList(2, 7)).containsExactly("1", "h", Long.toString(NOW + 900_000), "a", "b");
        out.clear();
        t.translate(0, cmd("HEXPIRE", "h", "60", "FIELDS", "1", "a"), out::add);
        assertThat(text(out.get(0))).containsExactly("HEXPIRE", "h", "60", "FIELDS", "1", "a");
        // SADDEX: Redis has no member TTL even on 7.4
        out.clear();
        t.translate(0, cmd("SADDEX", "s", "60", "m"), out::add);
        assertThat(text(out.get(0))).containsExactly("SADD", "s", "m");
        assertThat(counters.get(Outcome.MEMBER_TTL_DROPPED)).isEqualTo(1);
    }

    @Test
    void jsonCommandsPassToRedisJson() {
        TargetProfile json = TargetProfile.of("7.2.4", 11, false, Set.of("ReJSON"));
        JournalTranslator t = translator(json, TranslateConfig.builder().policy(DfFamily.JSON, DfTypePolicy.TRANSCODE).build());
        t.translate(0, cmd("JSON.NUMINCRBY", "json:obj", "$.f", "1"), out::add);
        assertThat(text(out.get(0))).containsExactly("JSON.NUMINCRBY", "json:obj", "$.f", "1");
        assertThat(counters.get(Outcome.DF_TRANSCODED)).isEqualTo(1);
    }

    @Test
    void moveAndCopyMapTheirDb() {
        TranslateConfig cfg = TranslateConfig.builder()
                .dbMapping(DbMapping.of(java.util.Map.of(0, 0, 2, 9, 3, DbMapping.IGNORED), false)).build();
        JournalTranslator t = translator(TargetProfile.redis70(false), cfg);
        t.translate(0, cmd("MOVE", "k", "2"), out::add);
        t.translate(0, cmd("MOVE", "k2", "3"), out::add);
        t.translate(0, cmd("COPY", "{a}x", "{a}y", "DB", "2"), out::add);
        assertThat(out).extracting(JournalTranslatorTest::text).containsExactly(
                List.of("MOVE", "k", "9"), List.of("DEL", "k2"), List.of("COPY", "{a}x", "{a}y", "DB", "9", "REPLACE"));
    }
}
