package io.df2redis.dragonfly.stream;

/** Where a flow's stream is. */
public enum Phase {
    /** Before and inside the RDB header ("REDIS0009" and AUX fields). */
    HEADER,
    /** Snapshot entries, journal blobs, compressed blobs, tagged chunks. */
    SNAPSHOT,
    /** After FULLSYNC_END: journal blobs may still come, then the stable cut. */
    STATIC_DATA_ENDED,
    /** JOURNAL_OFFSET seen; EOF, checksum and token follow. */
    STABLE_CUT,
    /** Pure journal (after the token, or from the start of a partial sync). */
    STABLE,
    /** An RDB file's EOF was read (file parser only). */
    END
}
