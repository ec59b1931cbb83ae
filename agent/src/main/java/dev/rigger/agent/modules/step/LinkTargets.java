package dev.rigger.agent.modules.step;

import dev.rigger.agent.modules.ModuleException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * What a task's path names when a symlink is there: an error naming the link and where it points, unless the
 * task says {@code follow: true} (as Ansible's {@code follow}), then the file at the end of the links.
 */
public final class LinkTargets {
    private static final int MAX_LINKS = 40;

    private LinkTargets() {
    }

    /** The path itself, or the end of its links when {@code follow}; a link without {@code follow} is refused. */
    public static Path destination(Path path, boolean follow, String doing) throws IOException {
        if (!Files.isSymbolicLink(path)) {
            return path;
        }
        if (!follow) {
            throw new ModuleException(path + " is a symbolic link to " + Files.readSymbolicLink(path) + "; refusing to "
                    + doing + " (follow: true acts on what it points to)");
        }
        Path at = path.toAbsolutePath();
        for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(at); i++) {
            at = at.getParent().resolve(Files.readSymbolicLink(at)).normalize();
        }
        if (Files.isSymbolicLink(at)) {
            throw new ModuleException(path + ": too many levels of symbolic links");
        }
        return at;
    }

    /**
     * The content of a regular file read through an O_NOFOLLOW descriptor, so a link planted after the check
     * is never read through; null when the file or its directory does not exist.
     */
    public static byte[] currentContent(Path path) throws IOException {
        try (DirectoryWalk walk = DirectoryWalk.parentOf(path)) {
            PosixFileAttributes a = walk.attributesOrNull();
            if (a != null && a.isDirectory()) {
                throw new ModuleException(path + " is a directory; expected a regular file");
            }
            return walk.readOrNull();
        } catch (NoSuchFileException e) {
            return null;
        } catch (FileSystemException e) {
            throw new ModuleException(e.getMessage());
        }
    }
}
