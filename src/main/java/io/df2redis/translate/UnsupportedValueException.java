package io.df2redis.translate;

/**
 * A Dragonfly-only value or command whose family is configured {@code fail}, or that the target
 * cannot hold. Names the key, its database and the type or command.
 */
public final class UnsupportedValueException extends TranslationException {
    private static final long serialVersionUID = 1L;

    private final DfFamily family;

    public UnsupportedValueException(DfFamily family, int db, byte[] key, String what) {
        super("db " + db + " key " + printable(key) + ": " + what + " (" + family.configName()
                + ") cannot be written to the target; policy is fail");
        this.family = family;
    }

    public DfFamily family() {
        return family;
    }
}
