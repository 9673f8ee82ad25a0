package io.df2redis.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WatermarksTest {
    @Test
    void theKeyOfASlotIsMadeOnceAndIsTheSlotsHashTag() {
        Watermarks w = new Watermarks("__df2redis:");
        for (int slot : new int[] {0, 1, 8000, 16383}) {
            byte[] k = w.key(slot);
            assertThat(w.key(slot)).isSameAs(k);
            assertThat(io.df2redis.redis.Slots.slot(k)).isEqualTo(slot);
            assertThat(new String(k, StandardCharsets.UTF_8)).startsWith("__df2redis:wm:{");
        }
    }
}
