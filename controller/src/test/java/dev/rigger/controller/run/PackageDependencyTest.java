package dev.rigger.controller.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The executor uses the controller-side modules, never the other way round; and the executor knows no
 * transport: a module reaches its host's Docker through {@code HostAccess}, not through the run.
 */
class PackageDependencyTest {
    private static final Path MAIN = Path.of("src/main/java/dev/rigger/controller");

    /** "file: import line" of each import in {@code pkg}'s sources (sub-packages included) that starts with {@code prefix}. */
    private static List<String> imports(String pkg, String prefix) {
        try (Stream<Path> files = Files.walk(MAIN.resolve(pkg))) {
            return files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> lines(f)
                    .filter(l -> l.startsWith("import " + prefix) || l.startsWith("import static " + prefix))
                    .map(l -> MAIN.relativize(f) + ": " + l)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::strip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theSourcesAreWhereThisTestLooks() {
        assertThat(imports("run", "dev.rigger.controller.modules")).isNotEmpty();
    }

    @Test
    void noModuleImportsTheExecutor() {
        assertThat(imports("modules", "dev.rigger.controller.run")).isEmpty();
    }

    @Test
    void theExecutorImportsNoTransport() {
        assertThat(imports("run", "dev.rigger.controller.ssh")).isEmpty();
        assertThat(imports("run", "dev.rigger.controller.docker")).isEmpty();
    }
}
