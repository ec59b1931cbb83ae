package dev.rigger.controller.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.protocol.facts.DefaultRoute;
import dev.rigger.protocol.facts.HostFacts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Facts in state.json are data a host reported: ones without their shape are neither written nor read back. */
class CachedFactsCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static HostFacts withAddress(String host, String address) {
        return new HostFacts(host, host, null, 2, 1024, null, null, null, new DefaultRoute("eth0", address, "10.0.0.1"));
    }

    @Test
    void hostileFactsAnOlderRiggerCachedCountAsNoCache() throws Exception {
        try (JsonFileStateStore store = JsonFileStateStore.open(dir)) {
            store.recordFacts("node1", withAddress("node1", "10.0.0.11"));
            store.recordFacts("node2", withAddress("node2", "10.0.0.12"));
        }
        // as an unchecked cache would hold them
        Path file = dir.resolve("state.json");
        ObjectNode state = (ObjectNode) JSON.readTree(file.toFile());
        state.with("hosts").with("node2").with("facts").with("defaultIpv4").put("address", "10.0.0.12\n6.6.6.6 node1");
        Files.writeString(file, JSON.writeValueAsString(state));

        try (JsonFileStateStore store = JsonFileStateStore.open(dir)) {
            assertThat(store.cachedFacts("node1")).isPresent();
            assertThat(store.cachedFacts("node2")).isEmpty();
        }
        assertThat(JsonFileStateStore.peekFacts(dir, "node1")).isPresent();
        assertThat(JsonFileStateStore.peekFacts(dir, "node2")).isEmpty();
    }

    @Test
    void hostileFactsAreNeverRecorded() throws Exception {
        try (JsonFileStateStore store = JsonFileStateStore.open(dir)) {
            assertThatThrownBy(() -> store.recordFacts("node2", withAddress("node2", "1.2.3.4,6.6.6.6")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node2: facts refused");
            assertThat(store.cachedFacts("node2")).isEmpty();
        }
        assertThat(Files.exists(dir.resolve("state.json")) ? Files.readString(dir.resolve("state.json")) : "")
                .doesNotContain("6.6.6.6");
    }
}
