package io.df2redis.dragonfly.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.df2redis.dragonfly.encode.ListpackEncoder;
import io.df2redis.dragonfly.event.DecodedValue;
import io.df2redis.dragonfly.event.RdbValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Structure checks of compact encodings, like Redis's deep integrity checks: a damaged listpack,
 * ziplist or intset, duplicate hash fields, an odd pair count and bogus lengths are refused with
 * what was expected; no bogus length allocates.
 */
class CompactEncodingsTest {

    private static byte[] rdbString(byte[] s) {
        // test values stay below 16 KiB: 14-bit length form
        byte[] out = new byte[2 + s.length];
        out[0] = (byte) (0x40 | (s.length >> 8));
        out[1] = (byte) s.length;
        System.arraycopy(s, 0, out, 2, s.length);
        return out;
    }

    private static List<byte[]> strings(String... s) {
        List<byte[]> out = new ArrayList<>();
        for (String x : s) {
            out.add(x.getBytes(StandardCharsets.US_ASCII));
        }
        return out;
    }

    @Test
    void listpackValuesDecodeIncludingIntegers() throws Exception {
        byte[] lp = ListpackEncoder.encode(strings("f1", "12345", "f2", "-7", "f3", "x".repeat(300)));
        DecodedValue v = ValueDecoder.decode(RdbType.HASH_LISTPACK, rdbString(lp), 0, lp.length + 2);
        List<byte[]> fv = ((DecodedValue.HashValue) v).fieldsAndValues();
        assertThat(new String(fv.get(1))).isEqualTo("12345");
        assertThat(new String(fv.get(3))).isEqualTo("-7");
        assertThat(fv.get(5)).hasSize(300);
    }

    @Test
    void damagedListpacksAreRefused() {
        byte[] lp = ListpackEncoder.encode(strings("a", "b", "c", "d"));
        byte[] badTotal = lp.clone();
        badTotal[0]++;
        assertRefused(RdbType.HASH_LISTPACK, badTotal, "listpack total bytes");
        byte[] noTerminator = lp.clone();
        noTerminator[lp.length - 1] = 0;
        assertRefused(RdbType.HASH_LISTPACK, noTerminator, "listpack");
        byte[] badCount = lp.clone();
        badCount[4] = 3;
        assertRefused(RdbType.HASH_LISTPACK, badCount, "element count");
        byte[] badBacklen = lp.clone();
        badBacklen[6 + 2] = 9; // back-length of the first one-byte string entry
        assertRefused(RdbType.HASH_LISTPACK, badBacklen, "back-length");
        byte[] dup = ListpackEncoder.encode(strings("a", "1", "a", "2"));
        assertRefused(RdbType.HASH_LISTPACK, dup, "duplicate");
        byte[] odd = ListpackEncoder.encode(strings("a", "1", "b"));
        assertRefused(RdbType.HASH_LISTPACK, odd, "even number");
    }

    @Test
    void intsetsAreCheckedForOrderAndSize() throws Exception {
        byte[] ok = {2, 0, 0, 0, 3, 0, 0, 0, (byte) 0xfb, (byte) 0xff, 1, 0, 2, 0};
        DecodedValue v = ValueDecoder.decode(RdbType.SET_INTSET, rdbString(ok), 0, ok.length + 2);
        assertThat(((DecodedValue.SetValue) v).members().stream().map(String::new).toList()).containsExactly("-5", "1", "2");
        byte[] unordered = ok.clone();
        unordered[10] = 9;
        assertRefused(RdbType.SET_INTSET, unordered, "ascending");
        byte[] badEncoding = ok.clone();
        badEncoding[0] = 3;
        assertRefused(RdbType.SET_INTSET, badEncoding, "encoding 2, 4 or 8");
        byte[] badCount = ok.clone();
        badCount[4] = 4;
        assertRefused(RdbType.SET_INTSET, badCount, "intset of 4");
    }

    @Test
    void ziplistPrevLengthAndTailAreChecked() {
        // zlbytes, zltail, zllen, entry "a" (prevlen 0, 6-bit len 1), entry "b" (prevlen 3), end
        byte[] zl = {17, 0, 0, 0, 13, 0, 0, 0, 2, 0, 0, 1, 'a', 3, 1, 'b', (byte) 0xff};
        assertThat(catchRefusal(RdbType.LIST_ZIPLIST, zl)).isNull();
        byte[] badPrev = zl.clone();
        badPrev[13] = 2;
        assertRefused(RdbType.LIST_ZIPLIST, badPrev, "prev-length");
        byte[] badTail = zl.clone();
        badTail[4] = 10;
        assertRefused(RdbType.LIST_ZIPLIST, badTail, "tail offset");
    }

    @Test
    void bogusLengthsFailWithoutAllocating() {
        // a set claiming 2^62 members, and a string claiming 2^40 bytes
        byte[] set = {(byte) 0x81, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 'a'};
        assertThatThrownBy(() -> ValueDecoder.decode(RdbType.SET, set, 0, set.length)).isInstanceOf(RdbFormatException.class);
        byte[] str = {(byte) 0x81, 0, 0, 1, 0, 0, 0, 0, 0, 'a'};
        assertThatThrownBy(() -> ValueDecoder.decode(RdbType.STRING, str, 0, str.length))
                .isInstanceOf(RdbFormatException.class)
                .hasMessageContaining("string length");
        byte[] badLen = {(byte) 0x9f, 0};
        assertThatThrownBy(() -> ValueDecoder.decode(RdbType.STRING, badLen, 0, badLen.length))
                .hasMessageContaining("bad length prefix");
    }

    @Test
    void memberTtlsBecomeAbsoluteUnixSeconds() throws Exception {
        // type 32: n=2, ("a", ttl 100), ("b", -1) — ttl strings are int-encoded
        byte[] v = {2, 1, 'a', (byte) 0xc0, 100, 1, 'b', (byte) 0xc0, (byte) 0xff};
        DecodedValue.SetValue s = (DecodedValue.SetValue) ValueDecoder.decode(new RdbValue(RdbType.DF_SET_WITH_EXPIRY, v));
        assertThat(s.expireAtSec()).containsExactly(1675209600L + 100, -1L);
    }

    private static void assertRefused(RdbType type, byte[] blob, String message) {
        RdbFormatException e = catchRefusal(type, blob);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.getMessage()).contains(message);
    }

    private static RdbFormatException catchRefusal(RdbType type, byte[] blob) {
        try {
            byte[] v = rdbString(blob);
            ValueDecoder.decode(type, v, 0, v.length);
            return null;
        } catch (RdbFormatException e) {
            return e;
        }
    }
}
