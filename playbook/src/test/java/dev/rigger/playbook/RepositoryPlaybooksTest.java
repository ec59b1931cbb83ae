package dev.rigger.playbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The playbooks the project ships must load: schema, templates and all. */
class RepositoryPlaybooksTest {

    private static final Path PLAYBOOKS = Path.of("..", "playbooks");

    @TestFactory
    Stream<DynamicTest> everyShippedPlaybookIsValid() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(PLAYBOOKS)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).as("the playbooks shipped in " + PLAYBOOKS.toAbsolutePath()).isNotEmpty();
        PlaybookLoader loader = new PlaybookLoader();
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName() + " loads", () -> {
            Playbook playbook = loader.load(file, Map.of());
            assertThat(playbook.plays()).as("a playbook has at least one play").isNotEmpty();
        }));
    }
}
