package dev.rigger.agent.modules.step;

import dev.rigger.agent.modules.StepContext;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Sets owner and/or group, of the path alone or of everything below it too, through descriptors opened with
 * O_NOFOLLOW relative to their directory (links are left alone; a link at the path itself is refused).
 */
public final class ChownStep extends NativeStep {
    private final Path path;
    private final String owner;
    private final String group;
    private final boolean recurse;

    public ChownStep(Path path, String owner, String group, boolean recurse) {
        this.path = path;
        this.owner = owner;
        this.group = group;
        this.recurse = recurse;
    }

    @Override
    public String description() {
        return "chown " + (recurse ? "-R " : "") + (owner == null ? "" : owner) + (group == null ? "" : ":" + group) + " " + path;
    }

    @Override
    protected String run(StepContext ctx) throws IOException {
        if (!recurse) {
            Owners.setOwner(path, owner, group);
            return null;
        }
        try (DirectoryWalk walk = DirectoryWalk.parentOf(path)) {
            walk.forEachBelow((dir, name, attrs) -> {
                if (!attrs.isSymbolicLink()) {
                    DirectoryWalk.chown(dir, name, owner, group);
                }
            });
        }
        return null;
    }
}
