package io.df2redis.translate;

/**
 * A journal command the translation does not know how to apply on the target: unknown to the
 * command table, keys in several slots that cannot be split without changing the meaning, bad
 * arguments, or a malformed Dragonfly payload. Names the command, the database and the key.
 */
public final class UntranslatableCommandException extends TranslationException {
    private static final long serialVersionUID = 1L;

    public UntranslatableCommandException(int db, byte[] key, String command, String why) {
        super("db " + db + " key " + printable(key) + ": journal command " + command + ": " + why);
    }
}
