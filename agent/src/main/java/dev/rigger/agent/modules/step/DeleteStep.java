package dev.rigger.agent.modules.step;

import dev.rigger.agent.modules.StepContext;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Removes a file, link or directory tree, relative to open directories: a link is removed, never followed,
 * and a directory swapped for a link while it is being emptied is not descended through.
 */
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
        try (DirectoryWalk walk = DirectoryWalk.parentOf(path)) {
            return walk.delete() ? null : "already gone";
        }
    }
}
