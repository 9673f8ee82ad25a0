package io.df2redis.verify;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * The JSON-lines report of {@code --verify.report FILE}: one line per differing key, e.g.
 * <pre>{"db":0,"key":"user:1","kind":"value","source":{"type":"hash","expire_at_ms":-1,"size":3},"target":{"type":"hash","expire_at_ms":-1,"size":3}}</pre>
 * A key is printed as UTF-8 text; a byte that is not part of valid UTF-8 as {@code \xHH}, and a
 * backslash as {@code \\} (so that the two cannot be confused), both then JSON-escaped.
 */
public final class VerifyReport {
    private VerifyReport() {}

    public static void write(Path file, Collection<Difference> differences) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Difference d : differences) {
                w.write(line(d));
                w.newLine();
            }
        }
    }

    static String line(Difference d) {
        return "{\"db\":" + d.db() + ",\"key\":" + json(printable(d.key())) + ",\"kind\":\"" + d.kind().label()
                + "\",\"source\":" + side(d.source()) + ",\"target\":" + side(d.target()) + "}";
    }

    private static String side(KeyState k) {
        return "{\"type\":" + json(k.type()) + ",\"expire_at_ms\":" + k.expireAtMs() + ",\"size\":" + k.size() + "}";
    }

    /** The key as text: valid UTF-8 as is, other bytes as {@code \xHH}, a backslash doubled. */
    public static String printable(byte[] key) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(key);
        CharBuffer out = CharBuffer.allocate(key.length + 4);
        StringBuilder sb = new StringBuilder(key.length + 8);
        while (true) {
            CoderResult r = dec.decode(in, out, true);
            out.flip();
            for (int i = 0; i < out.length(); i++) {
                char c = out.charAt(i);
                sb.append(c == '\\' ? "\\\\" : String.valueOf(c));
            }
            out.clear();
            if (r.isError()) {
                for (int i = 0; i < r.length(); i++) {
                    sb.append(String.format("\\x%02x", in.get() & 0xff));
                }
                continue;
            }
            if (r.isOverflow()) {
                continue;
            }
            break;
        }
        return sb.toString();
    }

    static String json(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
