package dev.rigger.agent.modules.step;

import dev.rigger.agent.modules.StepContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removes a file, link or directory tree (a link is removed, never followed). */
public final class DeleteStep extends NativeStep {
    private final Path path;

    public DeleteStep(Path path) {
        this.path = path;
    }

    @Override
    public String description() {
        return "rm -rf " + path;
    }

    @Override
    protected String run(StepContext ctx) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> all = Files.walk(path)) {
                for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        } else {
            Files.deleteIfExists(path);
        }
        return null;
    }
}
