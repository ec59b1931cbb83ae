package dev.rigger.controller.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StreamSlotsTest {
    @Test
    void aRunTakesNoMoreStreamsThanItsCapAndAFreedSlotIsTakenAgain() throws Exception {
        StreamSlots slots = new StreamSlots(2, 10);
        Runnable a = slots.take("r1");
        slots.take("r1");
        assertThatThrownBy(() -> slots.take("r1")).isInstanceOf(ApiException.class)
                .hasMessageContaining("run r1 already has 2 event streams (at most 2)")
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(429));
        slots.take("r2");
        a.run();
        a.run();
        assertThat(slots.open()).as("a slot is given back once").isEqualTo(2);
        slots.take("r1");
    }

    @Test
    void theServerTakesNoMoreStreamsThanItsTotalCap() throws Exception {
        StreamSlots slots = new StreamSlots(5, 3);
        slots.take("r1");
        slots.take("r2");
        slots.take("r3");
        assertThatThrownBy(() -> slots.take("r4")).isInstanceOf(ApiException.class)
                .hasMessageContaining("already streams 3 event streams (at most 3)");
    }
}
