package io.df2redis.translate;

import java.util.Locale;

/** What happened to a record, counted by {@link TranslationCounters} (one metric each). */
public enum Outcome {
    /** Snapshot values written with RESTORE of their own bytes. */
    SNAPSHOT_RESTORED,
    /** Snapshot values written with native commands (type or size not fit for RESTORE). */
    SNAPSHOT_NATIVE,
    /** Parts of values too big to hold, written natively. */
    SNAPSHOT_PARTS,
    /** Keys (snapshot values, RESTOREs) already expired at translation time: not written. */
    EXPIRED_SKIPPED,
    /** Hash fields / set members with a TTL already past: left out of the value. */
    MEMBERS_EXPIRED_SKIPPED,
    /** Keys written without Dragonfly's sticky bit (Redis has none). */
    STICKY_DROPPED,
    /** Keys written without their memcached flags (Redis has none). */
    MC_FLAGS_DROPPED,
    /** Keys or commands whose field/member TTLs the target cannot hold were written without them. */
    MEMBER_TTL_DROPPED,
    /** Dragonfly-only values or commands written as their target equivalent. */
    DF_TRANSCODED,
    /** Dragonfly-only values or commands skipped by policy (per family in {@link TranslationCounters#skipped}). */
    DF_SKIPPED,
    /** Journal commands passed to the target as journaled. */
    JOURNAL_VERBATIM,
    /** Journal commands rewritten for the target. */
    JOURNAL_REWRITTEN,
    /** Journal writes to keys the flow's Dragonfly shard does not own (a cross-shard PFMERGE's copy). */
    STRAY_DROPPED,
    /** Records of a source db the mapping ignores. */
    DB_IGNORED,
    /** Multi-key commands split into one command per slot. */
    SPLIT,
    /** {@code STICK} commands dropped. */
    STICK_DROPPED,
    /** {@code SCRIPT LOAD} / {@code SCRIPT CONFIG}: not data; dropped. */
    SCRIPT_SKIPPED,
    /** Server commands without data ({@code DFLYCLUSTER} other than FLUSHSLOTS, FT.* index commands…) dropped. */
    SERVER_COMMAND_SKIPPED,
    /** Journal commands skipped by the unknown-command or cross-slot policy. */
    COMMAND_SKIPPED,
    /** RENAME/RENAMENX/COPY whose keys are in different slots, applied through a staging key. */
    CROSS_SLOT_MOVES,
    /** Cross-slot moves whose source key was missing on the target (a replay): destination left as is. */
    CROSS_SLOT_SOURCE_MISSING,
    /** MOVE between two source dbs merged into one target db: nothing to do. */
    MOVE_MERGED_NOOP,
    /** FLUSHALL / FLUSHDB / FLUSHSLOTS translated. */
    GLOBAL_COMMANDS,
    /** Exactly-once: journal units at or below their slot's watermark (applied before a restore): skipped. */
    REPLAY_SKIPPED,
    /** Exactly-once: global commands already applied before a restore (a later write survives): skipped. */
    GLOBAL_REPLAY_SKIPPED,
    /** Exactly-once: units whose commands span several slots or dbs, written without a watermark. */
    EXACTLY_ONCE_UNWRAPPED,
    /** Records of a db {@code filter.dbs} leaves out. */
    FILTER_DB,
    /** Keys (snapshot entries, keys of journal commands) {@code filter.keys.*} leaves out. */
    FILTER_KEY,
    /** Snapshot entries and journal commands of a type {@code filter.types} leaves out. */
    FILTER_TYPE,
    /** Journal commands {@code filter.commands} drops. */
    FILTER_COMMAND,
    /** Journal commands with keys on both sides of the key filter, which cannot be cut: skipped, reported. */
    FILTER_MIXED_SKIPPED,
    /** RENAME/COPY from an excluded key into an included one: the destination read from the source. */
    FILTER_MOVED_IN,
    /** RENAME from an included key into an excluded one: applied as DEL of the source (COPY: nothing). */
    FILTER_MOVED_OUT;

    /** Metric name, e.g. {@code stray-dropped}. */
    public String metricName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
