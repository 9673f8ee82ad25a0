package io.df2redis.verify;

/**
 * A key that differs, reported once under its first kind in the order missing, extra, type, value,
 * ttl.
 *
 * @param db the source db, and {@code key} the source's name; for an extra key the target db and
 *     the target's name (it has no source name)
 */
public record Difference(int db, byte[] key, Kind kind, KeyState source, KeyState target) {
    public enum Kind {
        /** In the source, not in the target. */
        MISSING,
        /** In the target, not in the source. */
        EXTRA,
        TYPE,
        VALUE,
        TTL;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
