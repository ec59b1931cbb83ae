package dev.rigger.agent.modules.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostsBlockTest {
    @Test
    void linesOutsideTheBlockAreNeverTouched() {
        String text = "127.0.0.1 localhost\n# BEGIN rigger managed hosts\n10.0.0.1 a\n# END rigger managed hosts\n10.9.9.9 mine\n";
        String after = HostsBlock.upsert(text, List.of(new HostsBlock.Entry("10.0.0.2", List.of("b"))));
        assertThat(after).isEqualTo("127.0.0.1 localhost\n# BEGIN rigger managed hosts\n10.0.0.1 a\n10.0.0.2 b\n"
                + "# END rigger managed hosts\n10.9.9.9 mine\n");
    }

    @Test
    void removingTheLastEntryRemovesTheMarkers() {
        String text = "127.0.0.1 localhost\n# BEGIN rigger managed hosts\n10.0.0.1 a\n# END rigger managed hosts\n";
        assertThat(HostsBlock.remove(text, List.of(new HostsBlock.Entry("10.0.0.1", List.of("a")))))
                .isEqualTo("127.0.0.1 localhost\n");
    }
}
