package io.df2redis.translate;

/**
 * One key left out or changed on purpose, for the operator: which key, in which source db, what it
 * was (type or command) and why.
 *
 * @param family the Dragonfly family, or {@code null} when the reason is not a family policy
 */
public record SkipReport(int db, byte[] key, String what, DfFamily family, String reason) {

    @Override
    public String toString() {
        return "db " + db + " key " + TranslationException.printable(key) + " (" + what + "): " + reason;
    }
}
