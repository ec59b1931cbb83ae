package dev.rigger.agent.modules.mount;

import dev.rigger.agent.modules.ArgsException;
import dev.rigger.agent.modules.ModuleException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A mount point the agent, as root, may mount on or unmount: a canonical absolute path whose every existing
 * component is a real directory. mount(8) and umount(8) follow symbolic links, so a link planted by whoever
 * may write a parent directory (ECS's {@code /ecs} belongs to uid 444) would put a filesystem over
 * {@code /etc}, or take one away; each component is looked at with lstat, never through a link.
 */
public final class MountPoint {
    private MountPoint() {
    }

    /** {@code path} when it is absolute and canonical (no {@code .}, {@code ..}, {@code //} or trailing slash). */
    static String canonical(String mountpoint) {
        String path = FstabFields.known(mountpoint);
        boolean canonical = path.startsWith("/") && !path.contains("//") && !(path.length() > 1 && path.endsWith("/"))
                && !path.contains("/./") && !path.contains("/../") && !path.endsWith("/.") && !path.endsWith("/..");
        if (!canonical) {
            throw new ArgsException("args.path: expected a canonical absolute path (no '.', '..', '//' or trailing '/'), got \""
                    + FstabFields.escaped(mountpoint) + "\"");
        }
        return mountpoint;
    }

    /**
     * Checks every component from {@code /} down: a directory, never a link. Returns the first component that
     * does not exist (what a mount would have to create), or null when the whole path exists.
     */
    static Path firstMissing(String path) {
        Path p = Path.of("/");
        for (Path name : Path.of(path)) {
            p = p.resolve(name);
            BasicFileAttributes a = lstat(p);
            if (a == null) {
                return p;
            }
            refuseUnlessDirectory(p, a, path);
        }
        return null;
    }

    /** Refuses, naming the component, unless every component of {@code path} is an existing directory and none a link. */
    public static void requireExisting(String path) {
        Path missing = firstMissing(path);
        if (missing != null) {
            throw new ModuleException("mount point " + FstabFields.escaped(path) + ": " + missing + " does not exist");
        }
    }

    /**
     * Makes the missing components one at a time, each checked again after: mkdir never follows a link in
     * its last component, and a link planted meanwhile where a directory was is refused, not used.
     */
    static void create(String path) throws IOException {
        Path p = Path.of("/");
        for (Path name : Path.of(path)) {
            p = p.resolve(name);
            if (lstat(p) == null) {
                try {
                    Files.createDirectory(p);
                } catch (FileAlreadyExistsException e) {
                    // made meanwhile: what it is gets checked below
                }
            }
            BasicFileAttributes a = lstat(p);
            if (a == null) {
                throw new NoSuchFileException(p.toString());
            }
            refuseUnlessDirectory(p, a, path);
        }
    }

    private static void refuseUnlessDirectory(Path p, BasicFileAttributes a, String path) {
        if (a.isSymbolicLink()) {
            throw new ModuleException("mount point " + FstabFields.escaped(path) + ": " + p + " is a symbolic link"
                    + target(p) + "; refusing to mount or unmount through it");
        }
        if (!a.isDirectory()) {
            throw new ModuleException("mount point " + FstabFields.escaped(path) + ": " + p + " is not a directory");
        }
    }

    private static String target(Path link) {
        try {
            return " (to " + FstabFields.escaped(Files.readSymbolicLink(link).toString()) + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static BasicFileAttributes lstat(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new ModuleException("mount point: cannot look at " + p + ": " + e.getMessage());
        }
    }
}
