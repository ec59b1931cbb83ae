package dev.rigger.agent.modules.step;

import dev.rigger.agent.modules.StepContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Sets permission bits, of the path alone or of everything below it too (links are left alone). */
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
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (!Files.isSymbolicLink(p) && Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    Owners.setMode(p, mode);
                }
            }
        }
        return null;
    }
}
