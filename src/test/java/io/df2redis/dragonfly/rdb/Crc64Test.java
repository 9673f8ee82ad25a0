package io.df2redis.dragonfly.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64Test {
    @Test
    void checkValueOfRedisCrc64() {
        assertThat(Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xe9c6d914c4b8d9caL);
    }

    @Test
    void incrementalEqualsWhole() {
        byte[] data = new byte[1000];
        new Random(7).nextBytes(data);
        long whole = Crc64.of(data);
        long crc = 0;
        for (int off = 0; off < data.length; off += 37) {
            crc = Crc64.update(crc, data, off, Math.min(37, data.length - off));
        }
        assertThat(crc).isEqualTo(whole);
    }
}
