package dev.rigger.agent.modules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Small pure pieces of argument handling. */
class PurePlanningTest {
    @Test
    void sizesUseBinaryUnits() {
        assertThat(ModuleArgs.parseSize("4G")).isEqualTo(4L << 30);
        assertThat(ModuleArgs.parseSize("100GiB")).isEqualTo(100L << 30);
        assertThat(ModuleArgs.parseSize("512m")).isEqualTo(512L << 20);
        assertThat(ModuleArgs.parseSize("1.5K")).isEqualTo(1536L);
        assertThat(ModuleArgs.parseSize("12345")).isEqualTo(12345L);
        assertThat(ModuleArgs.parseSize("lots")).isNull();
    }
}
