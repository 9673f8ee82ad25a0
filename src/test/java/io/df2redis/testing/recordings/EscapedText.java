package io.df2redis.testing.recordings;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The quoting used by the recordings' text files (journal-*.txt, flow-*.decoded.txt, workload.txt):
 * a token is bare, or double-quoted with {@code \xHH}, {@code \"}, {@code \\}, {@code \r},
 * {@code \n}, {@code \t}; a long quoted token may be cut and followed by {@code ...(N bytes)}.
 */
public final class EscapedText {
    private EscapedText() {}

    /** One token: its bytes, and the full length when the file cut it ({@code -1} if whole). */
    public record Token(Bytes bytes, long fullLength) {
        public boolean truncated() {
            return fullLength >= 0;
        }
    }

    /**
     * Splits {@code s} on spaces outside quotes and brackets. A token {@code name="a b"}, a cut
     * token {@code "ab"...(12 bytes)} and {@code heap=[('a', 1)]} each stay one token.
     */
    public static List<String> split(String s) {
        return split(s, true);
    }

    /** As {@link #split(String)}; with {@code brackets} false, brackets do not group (journal args). */
    public static List<String> split(String s, boolean brackets) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            boolean quoted = false;
            int depth = 0;
            while (i < n && (quoted || depth > 0 || s.charAt(i) != ' ')) {
                char c = s.charAt(i);
                if (c == '\\' && quoted) {
                    i += 2;
                    continue;
                }
                if (!quoted && s.startsWith("...(", i)) {
                    int close = s.indexOf(')', i);
                    i = close < 0 ? n : close + 1;
                    continue;
                }
                if (c == '"') {
                    quoted = !quoted;
                } else if (!quoted && brackets && (c == '(' || c == '[' || c == '{')) {
                    depth++;
                } else if (!quoted && depth > 0 && (c == ')' || c == ']' || c == '}')) {
                    depth--;
                }
                i++;
            }
            out.add(s.substring(start, Math.min(i, n)));
        }
        return out;
    }

    /** Decodes one token as split by {@link #split}. */
    public static Token token(String t) {
        if (t.isEmpty() || t.charAt(0) != '"') {
            return new Token(Bytes.utf8(t), -1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(t.length());
        int i = 1;
        while (i < t.length() && t.charAt(i) != '"') {
            char c = t.charAt(i);
            if (c == '\\') {
                char e = t.charAt(i + 1);
                switch (e) {
                    case 'x' -> {
                        out.write(Integer.parseInt(t.substring(i + 2, i + 4), 16));
                        i += 4;
                        continue;
                    }
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    case '"', '\\', '\'' -> out.write(e);
                    default -> throw new IllegalArgumentException("unknown escape \\" + e + " in " + t);
                }
                i += 2;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(utf8, 0, utf8.length);
                i++;
            }
        }
        if (i >= t.length()) {
            throw new IllegalArgumentException("unterminated quote in " + t);
        }
        String rest = t.substring(i + 1);
        long full = -1;
        if (rest.startsWith("...(") && rest.endsWith(" bytes)")) {
            full = Long.parseLong(rest.substring(4, rest.length() - 7));
        } else if (!rest.isEmpty()) {
            throw new IllegalArgumentException("unexpected text after quote: " + t);
        }
        return new Token(Bytes.of(out.toByteArray()), full);
    }
}
