package dev.rigger.agent.modules.step;

import dev.rigger.agent.modules.StepContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Creates a directory and its missing parents. */
public final class MakeDirStep extends NativeStep {
    private final Path path;

    public MakeDirStep(Path path) {
        this.path = path;
    }

    @Override
    public String description() {
        return "mkdir -p " + path;
    }

    @Override
    protected String run(StepContext ctx) throws IOException {
        Files.createDirectories(path);
        return null;
    }
}
