package dev.rigger.agent.modules.step;

import dev.rigger.agent.modules.StepContext;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;

/** Points a symlink at a target, replacing a link that points elsewhere (never what a link points to). */
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
        try (DirectoryWalk walk = DirectoryWalk.parentOf(path)) {
            PosixFileAttributes a = walk.attributesOrNull();
            if (a != null && !a.isSymbolicLink()) {
                throw new FileSystemException(walk.realPath().toString(), null, "exists and is not a symlink; refusing to replace it");
            }
            if (a != null) {
                walk.directory().deleteFile(walk.name());
            }
            // Java has no symlinkat: create by the resolved path, once it still names the open directory
            walk.requireSameDirectory();
            Files.createSymbolicLink(walk.realPath(), target);
        }
        return null;
    }
}
