package io.df2redis.translate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the reference decodings of the recordings (flow-i.decoded.txt, journal-i.txt) that ship
 * with the test vectors: enough to check key ownership and rewrites without the stream parser.
 */
final class Recordings {
    private Recordings() {}

    static Path root() {
        String shared = System.getProperty("df2redis.shared.dir", "../shared");
        return Path.of(shared, "testdata", "dragonfly");
    }

    /** Scenario folders holding flow files (partial-sync's sessions count as two). */
    static List<Path> sessions() {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(root())) {
            for (Path p : s.sorted().toList()) {
                if (Files.exists(p.resolve("flow-0.bin"))) {
                    out.add(p);
                } else if (Files.isDirectory(p)) {
                    try (Stream<Path> sub = Files.list(p)) {
                        sub.filter(q -> Files.exists(q.resolve("flow-0.bin"))).sorted().forEach(out::add);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static int flowCount(Path session) {
        int n = 0;
        while (Files.exists(session.resolve("flow-" + n + ".bin"))) {
            n++;
        }
        return n;
    }

    private static final Pattern KEY = Pattern.compile(" KEY db=\\d+ type=\\S+ key=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)");
    private static final Pattern COMMAND = Pattern.compile("COMMAND db=\\d+ txid=\\d+ shard_cnt=\\d+: (\\S+)(?: (\"(?:[^\"\\\\]|\\\\.)*\"|\\S+))?");

    /** Keys of the snapshot entries of one flow. */
    static List<byte[]> snapshotKeys(Path session, int flow) {
        List<byte[]> keys = new ArrayList<>();
        for (String line : lines(session.resolve("flow-" + flow + ".decoded.txt"))) {
            Matcher m = KEY.matcher(line);
            if (m.find()) {
                keys.add(unquote(m.group(1)));
            }
        }
        return keys;
    }

    /** A journal entry as the reference decoding shows it: command name and its first argument. */
    record Entry(String command, byte[] firstArg, String line) {}

    /** Journal entries of one flow: journal blobs of the full sync, then the stable journal. */
    static List<Entry> journal(Path session, int flow) {
        List<Entry> out = new ArrayList<>();
        for (String line : lines(session.resolve("flow-" + flow + ".decoded.txt"))) {
            if (line.contains("JOURNAL_BLOB")) {
                add(out, line);
            }
        }
        Path j = session.resolve("journal-" + flow + ".txt");
        if (Files.exists(j)) {
            for (String line : lines(j)) {
                add(out, line);
            }
        }
        return out;
    }

    private static void add(List<Entry> out, String line) {
        Matcher m = COMMAND.matcher(line);
        if (m.find()) {
            out.add(new Entry(m.group(1), m.group(2) == null ? null : unquote(m.group(2)), line));
        }
    }

    static byte[] unquote(String s) {
        if (!s.startsWith("\"")) {
            return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.write(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'x':
                    b.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                    break;
                case 'r':
                    b.write('\r');
                    break;
                case 'n':
                    b.write('\n');
                    break;
                case 't':
                    b.write('\t');
                    break;
                default:
                    b.write(n);
            }
        }
        return b.toByteArray();
    }

    /**
     * The arguments of a journal line of journal-i.txt ({@code … shard_cnt=1: CMD arg "quoted\x00" …}),
     * quoted ones unescaped; {@code null} when the line shows a truncated argument.
     */
    static List<byte[]> args(String line) {
        if (line.contains("...(")) {
            return null;
        }
        String s = line.substring(line.indexOf(": ") + 2);
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            if (s.charAt(i) == ' ') {
                i++;
                continue;
            }
            int end;
            if (s.charAt(i) == '"') {
                end = i + 1;
                while (s.charAt(end) != '"') {
                    end += s.charAt(end) == '\\' ? 2 : 1;
                }
                end++;
            } else {
                end = s.indexOf(' ', i);
                if (end < 0) {
                    end = s.length();
                }
            }
            out.add(unquote(s.substring(i, end)));
            i = end;
        }
        return out;
    }

    /** The journal line of {@code flow} in {@code scenario} at file offset {@code at} (the "@offset"). */
    static List<byte[]> journalArgs(String scenario, int flow, int at) {
        for (String line : lines(root().resolve(scenario).resolve("journal-" + flow + ".txt"))) {
            if (line.startsWith("@" + at + " ")) {
                return args(line);
            }
        }
        throw new IllegalArgumentException("no entry @" + at + " in " + scenario + " journal-" + flow);
    }

    static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
