package dev.rigger.agent.modules.step;

import dev.rigger.agent.modules.StepContext;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Creates an empty file if there is none (O_CREAT|O_EXCL|O_NOFOLLOW in the opened parent); never changes an
 * existing file's times (so it is idempotent).
 */
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
        try (DirectoryWalk walk = DirectoryWalk.parentOf(path)) {
            walk.directory().newByteChannel(walk.name(), Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)).close();
        } catch (FileAlreadyExistsException e) {
            return "already there";
        }
        return null;
    }
}
