package dev.rigger.agent.modules.step;

import dev.rigger.agent.modules.StepContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Points a symlink at a target, replacing a link that points elsewhere. */
public final class SymlinkStep extends NativeStep {
    private final Path path;
    private final Path target;

    public SymlinkStep(Path path, Path target) {
        this.path = path;
        this.target = target;
    }

    @Override
    public String description() {
        return "ln -sfn " + target + " " + path;
    }

    @Override
    protected String run(StepContext ctx) throws IOException {
        if (Files.isSymbolicLink(path)) {
            Files.delete(path);
        }
        Files.createSymbolicLink(path, target);
        return null;
    }
}
