package io.df2redis.translate;

import java.util.Locale;

/** What to do with a family of Dragonfly-only data. */
public enum DfTypePolicy {
    /** Write the nearest target equivalent (see {@link TranslateConfig#validate}). */
    TRANSCODE,
    /** Leave it out; every key is reported with the reason and counted. */
    SKIP,
    /** Stop with an {@link UnsupportedValueException} naming key and type. */
    FAIL;

    public static DfTypePolicy parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
