package dev.rigger.agent.modules.step;

import dev.rigger.agent.modules.StepContext;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * Creates a directory and its missing parents, each one in the directory the walk opened (see
 * {@link DirectoryWalk}); a link at the path itself is refused.
 */
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
        Path abs = path.toAbsolutePath().normalize();
        for (int i = 1; i <= abs.getNameCount(); i++) {
            Path prefix = abs.getRoot().resolve(abs.subpath(0, i));
            try (DirectoryWalk walk = DirectoryWalk.parentOf(prefix)) {
                PosixFileAttributes a = walk.attributesOrNull();
                if (a == null) {
                    // Java has no mkdirat: create by the resolved path, once it still names the open directory
                    walk.requireSameDirectory();
                    Files.createDirectory(walk.realPath());
                } else if (a.isSymbolicLink() && i == abs.getNameCount()) {
                    throw DirectoryWalk.linkRefused(walk.realPath(), "create a directory");
                } else if (!a.isSymbolicLink() && !a.isDirectory()) {
                    throw new FileSystemException(walk.realPath().toString(), null, "exists and is not a directory");
                }
            }
        }
        return null;
    }
}
