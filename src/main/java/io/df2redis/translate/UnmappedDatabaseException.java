package io.df2redis.translate;

/** A source database that the db mapping neither maps nor ignores. */
public final class UnmappedDatabaseException extends TranslationException {
    private static final long serialVersionUID = 1L;

    public UnmappedDatabaseException(int sourceDb, byte[] key) {
        super("source db " + sourceDb + " (key " + printable(key) + ") has no target in the db mapping;"
                + " map it (translate.db-mapping) or ignore it explicitly");
    }
}
