package io.df2redis.dragonfly.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.dragonfly.event.DecodedValue;
import io.df2redis.dragonfly.event.RdbValue;
import io.df2redis.testing.recordings.Bytes;
import io.df2redis.testing.recordings.JournalLine;
import io.df2redis.testing.recordings.Recording;
import io.df2redis.testing.recordings.Recordings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DUMP payloads: the ones Dragonfly journaled (RESTORE) parse and verify; build/parse round-trips. */
class DumpPayloadTest {

    /** Every RESTORE payload journaled by the real master in journal-rewrites. */
    @Test
    void restorePayloadsOfTheRecordingsParseAndDecode() throws Exception {
        Recording rec = Recordings.get("journal-rewrites");
        List<DumpPayload.Parsed> parsed = new ArrayList<>();
        for (int i = 0; i < rec.flowCount(); i++) {
            for (JournalLine l : rec.journal(i)) {
                if (l.command().equals("RESTORE")) {
                    assertThat(l.args().get(3).truncated()).isFalse();
                    parsed.add(DumpPayload.parse(l.args().get(3).bytes().toByteArray(), TypeTable.DRAGONFLY));
                }
            }
        }
        assertThat(parsed).hasSizeGreaterThanOrEqualTo(2);
        assertThat(parsed).allMatch(p -> p.rdbVersion() == DumpPayload.DRAGONFLY_RDB_VERSION);
        assertThat(parsed.stream().map(p -> p.value().type()).distinct().toList())
                .contains(RdbType.STRING, RdbType.LIST_QUICKLIST_2);
        for (DumpPayload.Parsed p : parsed) {
            DecodedValue v = ValueDecoder.decode(p.value());
            assertThat(v.count()).isPositive();
            // rebuilding gives the identical payload
            byte[] again = DumpPayload.build(p.value(), p.rdbVersion());
            assertThat(DumpPayload.parse(again, TypeTable.DRAGONFLY).value().encoded()).isEqualTo(p.value().encoded());
        }
        DecodedValue list = ValueDecoder.decode(parsed.stream()
                .filter(p -> p.value().type() == RdbType.LIST_QUICKLIST_2).findFirst().orElseThrow().value());
        assertThat(((DecodedValue.ListValue) list).elements().stream().map(Bytes::of).toList())
                .containsExactly(Bytes.utf8("1"), Bytes.utf8("2"), Bytes.utf8("3"));
    }

    @Test
    void corruptPayloadsAreRejected() throws Exception {
        byte[] ok = DumpPayload.build(0, new byte[] {5, 'h', 'e', 'l', 'l', 'o'}, 9);
        assertThat(DumpPayload.parse(ok, TypeTable.REDIS).value().type()).isEqualTo(RdbType.STRING);
        assertThat(((DecodedValue.StringValue) ValueDecoder.decode(DumpPayload.parse(ok, TypeTable.REDIS).value())).bytes())
                .isEqualTo("hello".getBytes());

        byte[] badCrc = ok.clone();
        badCrc[badCrc.length - 1] ^= 1;
        assertThatThrownBy(() -> DumpPayload.parse(badCrc, TypeTable.REDIS)).hasMessageContaining("CRC64");

        byte[] trailingGarbage = DumpPayload.build(0, new byte[] {5, 'h', 'e', 'l', 'l', 'o', 'x'}, 9);
        assertThatThrownBy(() -> DumpPayload.parse(trailingGarbage, TypeTable.REDIS)).hasMessageContaining("extra bytes");

        byte[] truncated = DumpPayload.build(0, new byte[] {9, 'h', 'e', 'l', 'l', 'o'}, 9);
        assertThatThrownBy(() -> DumpPayload.parse(truncated, TypeTable.REDIS)).hasMessageContaining("complete STRING");

        byte[] unknownType = DumpPayload.build(99, new byte[] {0}, 9);
        assertThatThrownBy(() -> DumpPayload.parse(unknownType, TypeTable.REDIS)).hasMessageContaining("object type");

        assertThatThrownBy(() -> DumpPayload.build(new RdbValue(RdbType.DF_JSON, new byte[] {0}), 9))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
