package io.df2redis.dragonfly.session;

/** How the master answered {@code DFLY FLOW}. */
public enum SyncKind {
    /** A snapshot follows {@code DFLY SYNC}, then the journal from its JOURNAL_OFFSET. */
    FULL,
    /** The journal follows {@code DFLY STARTSTABLE}, from the requested LSN; no snapshot. */
    PARTIAL
}
