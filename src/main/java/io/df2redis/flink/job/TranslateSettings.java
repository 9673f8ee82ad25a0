package io.df2redis.flink.job;

import io.df2redis.translate.DfFamily;
import io.df2redis.translate.DfTypePolicy;
import io.df2redis.translate.TranslateConfig;
import java.util.Locale;
import org.apache.flink.configuration.ConfigOption;

/** The job's {@code translate.*} and {@code db-map} settings as a {@link TranslateConfig}. */
public final class TranslateSettings {
    private TranslateSettings() {}

    public static TranslateConfig translateConfig(JobSettings s) {
        TranslateConfig.Builder b = TranslateConfig.builder().dbMapping(s.dbMapping());
        for (DfFamily f : DfFamily.values()) {
            b.policy(f, policy(s, Df2RedisOptions.dragonflyTypePolicy(f.configName())));
        }
        b.dropUnsupportedMemberTtls(s.get(Df2RedisOptions.DROP_UNSUPPORTED_MEMBER_TTLS));
        b.snapshotWrite(choice(s, Df2RedisOptions.SNAPSHOT_WRITE, TranslateConfig.SnapshotWrite.class));
        b.nativeBatch(s.get(Df2RedisOptions.NATIVE_BATCH_ELEMENTS), s.get(Df2RedisOptions.NATIVE_BATCH_BYTES));
        b.restoreMaxBytes(s.get(Df2RedisOptions.RESTORE_MAX_BYTES));
        b.unknownCommands(policy(s, Df2RedisOptions.UNKNOWN_COMMANDS));
        b.crossSlotCommands(policy(s, Df2RedisOptions.CROSS_SLOT_COMMANDS));
        b.mergedFlush(choice(s, Df2RedisOptions.MERGED_FLUSH, TranslateConfig.MergedFlush.class));
        b.internalKeyPrefix(s.get(Df2RedisOptions.INTERNAL_KEY_PREFIX));
        b.maxParkedBytes(s.get(Df2RedisOptions.MAX_PARKED_BYTES));
        b.crossSlotWaitTimeoutMs(s.get(Df2RedisOptions.CROSS_SLOT_WAIT_TIMEOUT).toMillis());
        b.doneMarkerTtlMs(s.get(Df2RedisOptions.DONE_MARKER_TTL).toMillis());
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            // The translate layer names its setting in the message.
            throw new InvalidSettingException(settingIn(e.getMessage()), e.getMessage());
        }
    }

    private static DfTypePolicy policy(JobSettings s, ConfigOption<String> o) {
        return choice(s, o, DfTypePolicy.class);
    }

    private static <E extends Enum<E>> E choice(JobSettings s, ConfigOption<String> o, Class<E> type) {
        String v = s.get(o);
        try {
            return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            StringBuilder allowed = new StringBuilder();
            for (E c : type.getEnumConstants()) {
                allowed.append(allowed.length() == 0 ? "" : " | ").append(c.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            throw new InvalidSettingException(o.key(), "'" + v + "' is not one of " + allowed);
        }
    }

    private static String settingIn(String message) {
        int end = message.indexOf(':');
        return end > 0 ? message.substring(0, end) : "translate";
    }
}
