package io.df2redis.flink.job;

import io.df2redis.translate.TranslateConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * The job's {@code translate.*} settings, and its {@code db-map}, as a {@link TranslateConfig}: the
 * translate layer reads and checks its own keys ({@link TranslateConfig#fromSettings}).
 */
public final class TranslateSettings {
    private TranslateSettings() {}

    public static TranslateConfig translateConfig(JobSettings s) {
        Map<String, String> t = new HashMap<>();
        for (Map.Entry<String, String> e : s.asMap().entrySet()) {
            if (e.getKey().startsWith(Df2RedisOptions.TRANSLATE_PREFIX) || e.getKey().startsWith("filter.")
                    || e.getKey().equals(Df2RedisOptions.MAP_KEY_PREFIX.key())) {
                t.put(e.getKey(), e.getValue());
            }
        }
        t.put("translate.db-mapping", s.get(Df2RedisOptions.DB_MAP));
        t.put("translate.allow-merge", Boolean.toString(s.get(Df2RedisOptions.DB_MAP_ALLOW_MERGE)));
        try {
            return TranslateConfig.fromSettings(t);
        } catch (IllegalArgumentException e) {
            // The message starts with "key=value: …"; db-mapping is the job's db-map.
            String key = e.getMessage().split("[=:]", 2)[0].trim();
            if (key.equals("translate.db-mapping") || key.equals("translate.allow-merge")) {
                key = Df2RedisOptions.DB_MAP.key();
            }
            throw new InvalidSettingException(key, e.getMessage());
        }
    }
}
