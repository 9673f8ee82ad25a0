package io.df2redis.dragonfly.encode;

import static org.assertj.core.api.Assertions.assertThat;

import com.ning.compress.lzf.ChunkDecoder;
import com.ning.compress.lzf.util.ChunkDecoderFactory;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class RdbWriterTest {
    private static String hex(RdbWriter w) {
        return HexFormat.of().formatHex(w.toByteArray());
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void lengthsUseTheShortestForm() {
        assertThat(hex(new RdbWriter().length(0))).isEqualTo("00");
        assertThat(hex(new RdbWriter().length(63))).isEqualTo("3f");
        assertThat(hex(new RdbWriter().length(64))).isEqualTo("4040");
        // txid 12345 of the protocol doc's transcript: 14-bit form 70 39
        assertThat(hex(new RdbWriter().length(12345))).isEqualTo("7039");
        assertThat(hex(new RdbWriter().length(16383))).isEqualTo("7fff");
        assertThat(hex(new RdbWriter().length(16384))).isEqualTo("8000004000");
        assertThat(hex(new RdbWriter().length(0xFFFFFFFFL))).isEqualTo("80ffffffff");
        assertThat(hex(new RdbWriter().length(0x100000000L))).isEqualTo("810000000100000000");
    }

    @Test
    void stringsAreIntegerEncodedLikeTheMasterDoes() {
        assertThat(hex(new RdbWriter().string(b("64")))).isEqualTo("c040"); // redis-bits AUX of the recordings
        assertThat(hex(new RdbWriter().string(b("-1")))).isEqualTo("c0ff");
        assertThat(hex(new RdbWriter().string(b("12345")))).isEqualTo("c13930");
        assertThat(hex(new RdbWriter().string(b("1795296639")))).isEqualTo("c27f0d026b");
        // Not canonical, too big for int32, or not a number: raw.
        assertThat(hex(new RdbWriter().string(b("007")))).isEqualTo("03303037");
        assertThat(hex(new RdbWriter().string(b("+1")))).isEqualTo("022b31");
        assertThat(hex(new RdbWriter().string(b("-0")))).isEqualTo("022d30");
        assertThat(new RdbWriter().string(b("4294967296")).toByteArray()[0]).isEqualTo((byte) 10);
        assertThat(hex(new RdbWriter().string(b("")))).isEqualTo("00");
        assertThat(hex(new RdbWriter().string(b("foo")))).isEqualTo("03666f6f");
    }

    @Test
    void lzfStringsDecompressWithLiblzfFormat() throws Exception {
        byte[] s = "abcabcabcabcabcabcabcabcabcabcabcabcabcabc-xyz-xyz-xyz-xyz".getBytes(StandardCharsets.US_ASCII);
        byte[] enc = new RdbWriter().lzfString(s).toByteArray();
        assertThat(enc[0] & 0xff).isEqualTo(0xC3);
        // 0xC3, len(compressed) (one byte here), len(raw) (one byte), data
        int clen = enc[1];
        assertThat(enc[2]).isEqualTo((byte) s.length);
        assertThat(enc.length).isEqualTo(3 + clen);
        byte[] out = new byte[s.length];
        ChunkDecoder dec = ChunkDecoderFactory.safeInstance();
        dec.decodeChunk(enc, 3, out, 0, s.length);
        assertThat(out).isEqualTo(s);
        // Short or incompressible strings stay plain.
        assertThat(new RdbWriter().lzfString(b("short")).toByteArray()).isEqualTo(new RdbWriter().string(b("short")).toByteArray());
    }

    @Test
    void listpackMatchesRedisEncoding() {
        byte[] lp = ListpackEncoder.encode(List.of(b("a"), b("1"), b("hello"), b("-5"), b("300"), b("10000000"), b("5000000000")));
        String expected = ""
                + "81" + "61" + "02"              // 6-bit string "a", backlen 2
                + "01" + "01"                     // 7-bit uint 1
                + "85" + "68656c6c6f" + "06"      // "hello"
                + "dffb" + "02"                   // 13-bit int -5: 0xC0 | 0x1F, 0xFB
                + "c12c" + "02"                   // 13-bit int 300
                + "f380969800" + "05"             // 32-bit int 10000000
                + "f400f2052a01000000" + "09"     // 64-bit int 5000000000
                + "ff";
        int total = 6 + expected.length() / 2;
        assertThat(HexFormat.of().formatHex(lp)).isEqualTo(
                String.format("%02x000000", total) + "0700" + expected);
        // 16-bit and 24-bit integers and a 12-bit string
        byte[] lp2 = ListpackEncoder.encode(List.of(b("-20000"), b("8000000"), b("x".repeat(100))));
        assertThat(HexFormat.of().formatHex(lp2, 6, 6 + 4)).isEqualTo("f1e0b103");
        assertThat(HexFormat.of().formatHex(lp2, 10, 10 + 5)).isEqualTo("f200127a04");
        assertThat(HexFormat.of().formatHex(lp2, 15, 15 + 2)).isEqualTo("e064");
        // backlen of a 102-byte entry is one byte, 102
        assertThat(lp2[15 + 102] & 0xff).isEqualTo(102);
    }

    @Test
    void intsetPicksTheNarrowestWidthAndSorts() {
        assertThat(HexFormat.of().formatHex(IntsetEncoder.encode(new long[] {3, -1, 2})))
                .isEqualTo("02000000" + "03000000" + "ffff" + "0200" + "0300");
        assertThat(IntsetEncoder.encode(new long[] {1, 70000})[0]).isEqualTo((byte) 4);
        assertThat(IntsetEncoder.encode(new long[] {1, 1L << 40})[0]).isEqualTo((byte) 8);
    }
}
