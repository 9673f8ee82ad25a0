package io.df2redis.translate;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One pattern of {@code filter.keys.include} / {@code filter.keys.exclude}: a glob as Redis's
 * {@code KEYS}/{@code SCAN MATCH} reads it ({@code *}, {@code ?}, {@code [abc]}, {@code [^a]},
 * {@code [a-z]}, {@code \} escaping the next character), or after {@code regex:} a Java regular
 * expression that must match the whole key. Keys are bytes: both forms see each byte as one
 * character (ISO-8859-1), so a pattern of UTF-8 text matches the same text in a key.
 */
public final class KeyPattern {
    private final String text;
    private final Pattern regex;

    private KeyPattern(String text, Pattern regex) {
        this.text = text;
        this.regex = regex;
    }

    /** @throws IllegalArgumentException naming the pattern when it cannot be read */
    public static KeyPattern parse(String text) {
        String bytes = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        try {
            if (bytes.startsWith("regex:")) {
                return new KeyPattern(text, Pattern.compile(bytes.substring("regex:".length()), Pattern.DOTALL));
            }
            return new KeyPattern(text, Pattern.compile(globToRegex(bytes), Pattern.DOTALL));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pattern '" + text + "': " + e.getDescription());
        }
    }

    public boolean matches(byte[] key) {
        return regex.matcher(new String(key, StandardCharsets.ISO_8859_1)).matches();
    }

    static String globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> sb.append(".*");
                case '?' -> sb.append('.');
                case '\\' -> {
                    if (i + 1 < glob.length()) {
                        sb.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                    } else {
                        sb.append("\\\\");
                    }
                }
                case '[' -> {
                    int end = i + 1;
                    if (end < glob.length() && glob.charAt(end) == '^') {
                        end++;
                    }
                    if (end < glob.length() && glob.charAt(end) == ']') {
                        end++; // a leading ] is a member
                    }
                    while (end < glob.length() && glob.charAt(end) != ']') {
                        if (glob.charAt(end) == '\\') {
                            end++;
                        }
                        end++;
                    }
                    if (end >= glob.length()) {
                        throw new IllegalArgumentException("pattern '" + glob + "': [ without ]");
                    }
                    sb.append('[');
                    int j = i + 1;
                    if (glob.charAt(j) == '^') {
                        sb.append('^');
                        j++;
                    }
                    for (; j < end; j++) {
                        char m = glob.charAt(j);
                        if (m == '\\' && j + 1 < end) {
                            m = glob.charAt(++j);
                            sb.append('\\').append(m);
                        } else if (m == '-' && j > i + 1 && j + 1 < end) {
                            sb.append('-');
                        } else if (Character.isLetterOrDigit(m)) {
                            sb.append(m);
                        } else {
                            sb.append('\\').append(m);
                        }
                    }
                    sb.append(']');
                    i = end;
                }
                default -> sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
