package dev.rigger.ecssim.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    @TempDir
    Path dir;

    @Test
    void writesEachChangeSoThatAReopenedStoreSeesIt() throws Exception {
        Path file = dir.resolve("ecssim/state.json");
        StateStore store = StateStore.open(file, (state, now) -> false);

        store.mutate(state -> state.storagePools.add(JsonNodeFactory.instance.objectNode().put("name", "sp1")));

        StateStore reopened = StateStore.open(file, (state, now) -> false);
        String name = reopened.read(state -> state.storagePools.get(0).path("name").asText());
        assertThat(name).isEqualTo("sp1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).as("no temp file left").containsExactly(file);
        }
    }

    @Test
    void leavesTheFileAsItWasWhenAChangeFails() throws Exception {
        Path file = dir.resolve("state.json");
        StateStore store = StateStore.open(file, (state, now) -> false);
        store.mutate(state -> state.licenseText = "first");
        String before = Files.readString(file);

        assertThatThrownBy(() -> store.mutate(state -> {
            throw new IllegalStateException("refused");
        })).hasMessage("refused");

        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void refusesAStateFileThatIsNotJsonNamingIt() throws Exception {
        Path file = dir.resolve("state.json");
        Files.writeString(file, "{not json");

        assertThatThrownBy(() -> StateStore.open(file, (state, now) -> false))
                .hasMessageContaining("state file " + file);
    }
}
