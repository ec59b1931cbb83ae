package dev.rigger.agent.modules.step;

import dev.rigger.agent.modules.StepContext;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Creates an empty file if there is none; never changes an existing file's times (so it is idempotent). */
public final class TouchStep extends NativeStep {
    private final Path path;

    public TouchStep(Path path) {
        this.path = path;
    }

    @Override
    public String description() {
        return "create empty " + path;
    }

    @Override
    protected String run(StepContext ctx) throws IOException {
        try {
            Files.createFile(path);
        } catch (FileAlreadyExistsException e) {
            return "already there";
        }
        return null;
    }
}
