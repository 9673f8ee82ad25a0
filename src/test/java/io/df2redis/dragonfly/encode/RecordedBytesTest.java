package io.df2redis.dragonfly.encode;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.testing.dfsim.Recording;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The encoders reproduce bytes a real v1.40 master sent, taken from the recordings. */
class RecordedBytesTest {
    private static final Path TYPES_BASIC = Recording.scenario("types-basic");

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void headerAuxFieldsAreByteIdentical() throws IOException {
        byte[] flow = Files.readAllBytes(TYPES_BASIC.resolve("flow-0.bin"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FlowStreamWriter w = new FlowStreamWriter(FlowStreamWriter.Options.defaults(), out::writeBytes);
        w.header(new String[][] {
            {"redis-ver", "6.2.11"}, {"df-ver", "df-v1.40.0-87-gf8eca6d0b"}, {"redis-bits", "64"}, {"ctime", "1795296639"},
            {"used-mem", "1840440"}, {"aof-preamble", "0"}, {"shard-count", "2"}, {"table-mem", "1550976"}, {"shard-id", "0"}});
        assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(flow, 0, 160));
    }

    @Test
    void uncompressedEntriesCutAndTokenAreByteIdentical() throws IOException {
        byte[] flow = Files.readAllBytes(TYPES_BASIC.resolve("flow-0.bin"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FlowStreamWriter w = new FlowStreamWriter(
                FlowStreamWriter.Options.defaults().withCompression(FlowStreamWriter.Compression.NONE), out::writeBytes);
        ValueEncoder enc = new ValueEncoder();
        w.entry(0, b("hash:3"), enc.hash(List.of(b("f1"), b("v1"), b("f2"), b("22"), b("f3"), b(""))), -1, 0, 0);
        w.entry(1, b("db1:list"), enc.list(List.of(b("x"), b("y"), b("z"))), -1, 0, 0);
        w.entry(5, b("db5:set"), enc.set(List.of(b("p"), b("q"))), -1, 0, 0);
        w.fullSyncEnd();
        w.stableCut(1, "1e157358a6421b3a33517670a779940664430237");
        assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(flow, 24215, 24367));
    }

    private static final Pattern COMMAND = Pattern.compile("^@(\\d+) lsn=\\d+ COMMAND db=(\\d+) txid=(\\d+) shard_cnt=(\\d+): (.*)$");
    private static final Pattern LSN = Pattern.compile("^@(\\d+) LSN (\\d+)$");
    private static final Pattern PING = Pattern.compile("^@(\\d+) lsn=\\d+ PING$");

    /** Every journal entry of every recording's reference decoding, re-encoded, equals the recorded bytes. */
    @Test
    void journalEntriesOfEveryRecordingAreByteIdentical() throws IOException {
        List<Path> journals;
        try (Stream<Path> s = Files.walk(Recording.sharedDir().resolve("testdata").resolve("dragonfly"))) {
            journals = s.filter(p -> p.getFileName().toString().matches("journal-\\d+\\.txt")).sorted().toList();
        }
        assertThat(journals).hasSizeGreaterThanOrEqualTo(20);
        int checked = 0;
        for (Path j : journals) {
            String flowName = j.getFileName().toString().replace("journal-", "flow-").replace(".txt", ".bin");
            byte[] flow = Files.readAllBytes(j.resolveSibling(flowName));
            for (String line : Files.readAllLines(j, StandardCharsets.UTF_8)) {
                Matcher m;
                byte[] expected;
                int at;
                if ((m = COMMAND.matcher(line)).matches()) {
                    List<byte[]> args = args(m.group(5));
                    if (args == null) {
                        continue; // an argument the reference decoding truncated
                    }
                    at = Integer.parseInt(m.group(1));
                    int db = Integer.parseInt(m.group(2));
                    RdbWriter w = new RdbWriter();
                    JournalEncoder.select(w, db);
                    JournalEncoder.command(w, Long.parseLong(m.group(3)), Integer.parseInt(m.group(4)), args);
                    expected = w.toByteArray();
                    at -= new RdbWriter().length(JournalEncoder.OP_SELECT).length(db).size();
                } else if ((m = LSN.matcher(line)).matches()) {
                    at = Integer.parseInt(m.group(1));
                    expected = JournalEncoder.lsn(new RdbWriter(), Long.parseLong(m.group(2))).toByteArray();
                } else if ((m = PING.matcher(line)).matches()) {
                    at = Integer.parseInt(m.group(1));
                    expected = JournalEncoder.ping(new RdbWriter()).toByteArray();
                } else {
                    continue;
                }
                assertThat(Arrays.copyOfRange(flow, at, at + expected.length)).as("%s: %s", j, line).isEqualTo(expected);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(150);
    }

    /** Splits the reference decoding's argument list; null when an argument was truncated. */
    static List<byte[]> args(String s) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            if (s.charAt(i) == ' ') {
                i++;
                continue;
            }
            ByteArrayOutputStream a = new ByteArrayOutputStream();
            if (s.charAt(i) == '"') {
                i++;
                while (s.charAt(i) != '"') {
                    char c = s.charAt(i);
                    if (c == '\\') {
                        char n = s.charAt(i + 1);
                        switch (n) {
                            case 'x' -> {
                                a.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
                                i += 4;
                            }
                            case 'r' -> { a.write('\r'); i += 2; }
                            case 'n' -> { a.write('\n'); i += 2; }
                            case 't' -> { a.write('\t'); i += 2; }
                            default -> { a.write(n); i += 2; }
                        }
                    } else {
                        a.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                        i++;
                    }
                }
                i++;
                if (s.startsWith("...", i)) {
                    return null;
                }
            } else {
                int end = s.indexOf(' ', i);
                end = end < 0 ? s.length() : end;
                a.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
            out.add(a.toByteArray());
        }
        return out;
    }
}
