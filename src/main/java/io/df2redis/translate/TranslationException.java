package io.df2redis.translate;

import java.nio.charset.StandardCharsets;

/**
 * Something the translation cannot or must not turn into Redis writes. The message names the key
 * (printable form), the database and what was wrong.
 */
public class TranslationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TranslationException(String message) {
        super(message);
    }

    public TranslationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A key as operators can read it: printable ASCII kept, other bytes as \xHH, long keys cut. */
    public static String printable(byte[] key) {
        if (key == null) {
            return "(no key)";
        }
        StringBuilder sb = new StringBuilder(Math.min(key.length, 200) + 2).append('"');
        int n = Math.min(key.length, 200);
        for (int i = 0; i < n; i++) {
            int b = key[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        if (key.length > n) {
            sb.append("...(").append(key.length).append(" bytes)");
        }
        return sb.append('"').toString();
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
