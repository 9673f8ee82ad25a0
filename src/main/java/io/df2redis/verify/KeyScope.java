package io.df2redis.verify;

/**
 * Which keys the migration copies and under which names (the job's filters and key renaming), so
 * that verify compares exactly those: a source key out of scope is not looked for in the target, a
 * target key whose source name is out of scope is not "extra".
 */
public interface KeyScope {
    /** Every key, same names. */
    KeyScope ALL = new KeyScope() {
        @Override
        public boolean sourceKey(byte[] key) {
            return true;
        }

        @Override
        public byte[] targetName(byte[] sourceKey) {
            return sourceKey;
        }

        @Override
        public byte[] sourceName(byte[] targetKey) {
            return targetKey;
        }

        @Override
        public boolean type(String redisType) {
            return true;
        }
    };

    /** Whether the source key is copied (by its name). */
    boolean sourceKey(byte[] key);

    /** Its name in the target. */
    byte[] targetName(byte[] sourceKey);

    /** The source name of a target key, or null when no copied key has that name in the target. */
    byte[] sourceName(byte[] targetKey);

    /** Whether keys of this type (as {@code TYPE} names it) are copied. */
    boolean type(String redisType);
}
