package io.df2redis.dragonfly.encode;

import static org.assertj.core.api.Assertions.assertThat;

import io.df2redis.testing.recordings.JournalLine;
import io.df2redis.testing.recordings.Recording;
import io.df2redis.testing.recordings.Recordings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The encoders reproduce bytes a real v1.40 master sent, taken from the recordings. */
class RecordedBytesTest {
    private static final Recording TYPES_BASIC = Recordings.get("types-basic");

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void headerAuxFieldsAreByteIdentical() throws IOException {
        byte[] flow = TYPES_BASIC.flowBytes(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FlowStreamWriter w = new FlowStreamWriter(FlowStreamWriter.Options.defaults(), out::writeBytes);
        w.header(new String[][] {
            {"redis-ver", "6.2.11"}, {"df-ver", "df-v1.40.0-87-gf8eca6d0b"}, {"redis-bits", "64"}, {"ctime", "1795296639"},
            {"used-mem", "1840440"}, {"aof-preamble", "0"}, {"shard-count", "2"}, {"table-mem", "1550976"}, {"shard-id", "0"}});
        assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(flow, 0, 160));
    }

    @Test
    void uncompressedEntriesCutAndTokenAreByteIdentical() throws IOException {
        byte[] flow = TYPES_BASIC.flowBytes(0);
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

    /** Every journal entry of every recording's reference decoding, re-encoded, equals the recorded bytes. */
    @Test
    void journalEntriesOfEveryRecordingAreByteIdentical() {
        int checked = 0;
        for (Recording rec : Recordings.all()) {
            for (int i = 0; i < rec.flowCount(); i++) {
                byte[] flow = rec.flowBytes(i);
                for (JournalLine line : rec.journal(i)) {
                    byte[] expected;
                    int at = (int) line.offset();
                    switch (line.kind()) {
                        case COMMAND -> {
                            if (line.args().stream().anyMatch(t -> t.truncated())) {
                                continue; // an argument the reference decoding cut
                            }
                            List<byte[]> args = new ArrayList<>();
                            line.args().forEach(t -> args.add(t.bytes().toByteArray()));
                            RdbWriter w = new RdbWriter();
                            JournalEncoder.select(w, line.db());
                            JournalEncoder.command(w, line.txid(), line.shardCnt(), args);
                            expected = w.toByteArray();
                            at -= new RdbWriter().length(JournalEncoder.OP_SELECT).length(line.db()).size();
                        }
                        case LSN -> expected = JournalEncoder.lsn(new RdbWriter(), line.lsn()).toByteArray();
                        case PING -> expected = JournalEncoder.ping(new RdbWriter()).toByteArray();
                        default -> {
                            continue;
                        }
                    }
                    assertThat(Arrays.copyOfRange(flow, at, at + expected.length)).as("%s flow %d: %s", rec, i, line)
                            .isEqualTo(expected);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(150);
    }
}
