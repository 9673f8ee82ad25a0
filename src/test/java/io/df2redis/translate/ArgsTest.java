package io.df2redis.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ArgsTest {
    @Test
    void decimalIsLongToStringInAscii() {
        long[] values = {0, 1, 9, 10, 99, 1023, 1024, 65535, 123456789, 9_999_999_999L, Long.MAX_VALUE, -1, -1024, Long.MIN_VALUE};
        for (long v : values) {
            assertThat(new String(Args.decimal(v), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
        }
        for (long v = 0; v < 100_000; v += 7) {
            assertThat(new String(Args.decimal(v), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
        }
    }
}
