package io.df2redis.translate;

import java.util.List;

/** Applies the per-family policy in one place for snapshot values and journal commands alike. */
final class DfPolicies {
    private DfPolicies() {}

    /**
     * @return {@code true} when the caller should transcode, {@code false} when the key was skipped
     *     (reported and counted here)
     * @throws UnsupportedValueException when the family's policy is {@code fail}
     */
    static boolean transcode(TranslateConfig config, TranslationCounters counters, SkipListener skips,
            DfFamily family, int db, byte[] key, String what) {
        switch (config.policy(family)) {
            case TRANSCODE:
                return true;
            case SKIP:
                counters.skippedOne(family);
                skips.onSkip(new SkipReport(db, key, what, family,
                        "Dragonfly-only " + family.configName() + ", skipped by translate.dragonfly-types."
                                + family.configName()));
                return false;
            default:
                throw new UnsupportedValueException(family, db, key, what);
        }
    }

    /** A keyless command of a Dragonfly family (FT.* …): it never reaches the target. */
    static List<SlotCommand> keylessCommand(TranslateConfig config, TranslationCounters counters, SkipListener skips,
            DfFamily family, int db, String name) {
        if (config.policy(family) == DfTypePolicy.FAIL) {
            throw new UnsupportedValueException(family, db, null, "journal command " + name);
        }
        counters.skippedOne(family);
        skips.onSkip(new SkipReport(db, null, name, family, "keyless Dragonfly-only command, not replicated"));
        return List.of();
    }
}
