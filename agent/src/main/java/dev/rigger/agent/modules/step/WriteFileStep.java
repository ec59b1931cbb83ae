package dev.rigger.agent.modules.step;

import dev.rigger.agent.modules.StepContext;
import java.io.IOException;
import java.nio.file.Path;

/** Writes a whole file atomically (in place where rename is refused); see {@link FileWriter}. */
public final class WriteFileStep extends NativeStep {
    private final Path path;
    private final byte[] content;

    public WriteFileStep(Path path, byte[] content) {
        this.path = path;
        this.content = content.clone();
    }

    @Override
    public String description() {
        return "write " + path + " (" + content.length + " bytes)";
    }

    @Override
    protected String run(StepContext ctx) throws IOException {
        return FileWriter.write(path, content) ? "rename refused; written in place" : null;
    }
}
