package io.df2redis.translate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The oracle against Dragonfly's own test vectors (reply_builder_test.cc: FormatDouble). */
class DragonflyDoublesTest {
    @Test
    void dragonflysOwnVectors() {
        assertThat(DragonflyDoubles.format(0.1)).isEqualTo("0.1");
        assertThat(DragonflyDoubles.format(0.2)).isEqualTo("0.2");
        assertThat(DragonflyDoubles.format(0.8)).isEqualTo("0.8");
        assertThat(DragonflyDoubles.format(1.1)).isEqualTo("1.1");
        assertThat(DragonflyDoubles.format(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(DragonflyDoubles.format(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(DragonflyDoubles.format(-0.0)).isEqualTo("0");
        assertThat(DragonflyDoubles.format(0.0000001)).isEqualTo("1e-7");
        assertThat(DragonflyDoubles.format(111111111111111111111.0)).isEqualTo("111111111111111110000");
        assertThat(DragonflyDoubles.format(1111111111111111111111.0)).isEqualTo("1.1111111111111111e+21");
        assertThat(DragonflyDoubles.format(1e-23)).isEqualTo("1e-23");
        // what the recordings show: INCRBYFLOAT flt 1.1 on 10.5 replied 11.6
        assertThat(DragonflyDoubles.format(10.5 + 1.1)).isEqualTo("11.6");
        assertThat(DragonflyDoubles.format(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(DragonflyDoubles.format(1.5 + 0.25)).isEqualTo("1.75");
        assertThat(DragonflyDoubles.format(0.000001)).isEqualTo("0.000001");
        assertThat(DragonflyDoubles.format(-2.5e21)).isEqualTo("-2.5e+21");
        assertThat(DragonflyDoubles.format(5e-324)).isEqualTo("5e-324");
        assertThat(DragonflyDoubles.format(1.7976931348623157e308)).isEqualTo("1.7976931348623157e+308");
    }
}
