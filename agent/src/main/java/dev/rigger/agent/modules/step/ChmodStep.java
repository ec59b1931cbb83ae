package dev.rigger.agent.modules.step;

import dev.rigger.agent.modules.StepContext;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Sets permission bits, of the path alone or of everything below it too, through descriptors opened with
 * O_NOFOLLOW relative to their directory (links are left alone; a link at the path itself is refused).
 */
public final class ChmodStep extends NativeStep {
    private final Path path;
    private final int mode;
    private final boolean recurse;

    public ChmodStep(Path path, int mode, boolean recurse) {
        this.path = path;
        this.mode = mode;
        this.recurse = recurse;
    }

    @Override
    public String description() {
        return "chmod " + (recurse ? "-R " : "") + String.format("%04o", mode) + " " + path;
    }

    @Override
    protected String run(StepContext ctx) throws IOException {
        if (!recurse) {
            Owners.setMode(path, mode);
            return null;
        }
        try (DirectoryWalk walk = DirectoryWalk.parentOf(path)) {
            walk.forEachBelow((dir, name, attrs) -> {
                if (!attrs.isSymbolicLink()) {
                    DirectoryWalk.chmod(dir, name, mode);
                }
            });
        }
        return null;
    }
}
