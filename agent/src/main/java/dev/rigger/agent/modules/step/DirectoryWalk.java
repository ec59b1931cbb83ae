package dev.rigger.agent.modules.step;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The directory that holds a path, opened by walking down from {@code /} one name at a time, and the changes
 * to the path's last name made relative to that open directory (openat, unlinkat, renameat, fchmod, fchown),
 * never following a link at the last name. A user who owns a directory on the way (ECS's uid 444 owns
 * {@code /host/data}) and swaps a name for a link between the check and the change cannot redirect the change:
 * what is changed is what was opened.
 *
 * <p>A link on the way to the last name is followed only when it sits in a directory that only root can write
 * (as {@code /var/run -> /run}); anywhere else it is refused, naming the link and where it points.
 */
public final class DirectoryWalk implements Closeable {
    private static final int MAX_LINKS = 40;
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final SecureDirectoryStream<Path> dir;
    private final Path dirPath;
    private final Path name;

    private DirectoryWalk(SecureDirectoryStream<Path> dir, Path dirPath, Path name) {
        this.dir = dir;
        this.dirPath = dirPath;
        this.name = name;
    }

    /** Opens the directory holding {@code path}; the last name itself is not looked at. */
    public static DirectoryWalk parentOf(Path path) throws IOException {
        Path abs = path.toAbsolutePath();
        Path last = abs.getFileName();
        if (last == null || last.toString().equals("..") || last.toString().equals(".")) {
            throw new FileSystemException(path.toString(), null, "expected a path that ends in a name");
        }
        Path parent = abs.getParent();
        Opened opened = openDirectory(parent);
        return new DirectoryWalk(opened.dir, opened.path, last);
    }

    /** Opens {@code path} itself as the directory (for changes below it, e.g. the bins of a mountpoint). */
    public static DirectoryWalk into(Path path) throws IOException {
        Opened opened = openDirectory(path.toAbsolutePath());
        return new DirectoryWalk(opened.dir, opened.path, Path.of("."));
    }

    /** The path of the last name with every directory on the way resolved (no link in it). */
    public Path realPath() {
        return dirPath.resolve(name);
    }

    public Path name() {
        return name;
    }

    public SecureDirectoryStream<Path> directory() {
        return dir;
    }

    /** The last name's own attributes (a link shows as a link), or null when there is nothing by that name. */
    public PosixFileAttributes attributesOrNull() throws IOException {
        return attributesOrNull(name);
    }

    public PosixFileAttributes attributesOrNull(Path child) throws IOException {
        try {
            return view(child).readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** A view that opens the name with O_NOFOLLOW and changes it through that descriptor (fchmod, fchown). */
    public PosixFileAttributeView view(Path child) {
        return dir.getFileAttributeView(child, PosixFileAttributeView.class, NOFOLLOW);
    }

    /** Refuses a link at the last name, naming it and what it points to. */
    public PosixFileAttributes requireNoLink(String doing) throws IOException {
        PosixFileAttributes a = attributesOrNull();
        if (a != null && a.isSymbolicLink()) {
            throw linkRefused(realPath(), doing);
        }
        return a;
    }

    /** The content of the last name, read through a descriptor opened with O_NOFOLLOW; null when it is absent. */
    public byte[] readOrNull() throws IOException {
        PosixFileAttributes a = requireNoLink("read");
        if (a == null) {
            return null;
        }
        if (!a.isRegularFile()) {
            throw new FileSystemException(realPath().toString(), null, "not a regular file");
        }
        try (SeekableByteChannel ch = open(Set.of(StandardOpenOption.READ, NOFOLLOW), "read")) {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, Math.max(a.size(), 0) + 1));
            while (ch.read(buf) > 0) {
                if (!buf.hasRemaining()) {
                    ByteBuffer bigger = ByteBuffer.allocate(buf.capacity() * 2);
                    buf.flip();
                    bigger.put(buf);
                    buf = bigger;
                }
            }
            byte[] out = new byte[buf.position()];
            buf.flip().get(out);
            return out;
        }
    }

    /**
     * Sets the mode through a descriptor opened with O_NOFOLLOW. setuid/setgid/sticky bits cannot be set that
     * way from Java, so those modes are set by the resolved path once the directory there is checked to be
     * the one this walk holds.
     */
    public void setMode(Path child, int mode) throws IOException {
        if ((mode & ~0777) == 0) {
            try {
                chmod(dir, child, mode);
            } catch (FileSystemException e) {
                throw explain(e, "chmod");
            }
            return;
        }
        requireSameDirectory();
        Files.setAttribute(dirPath.resolve(child), "unix:mode", mode, NOFOLLOW);
    }

    /** Owner and/or group through a descriptor opened with O_NOFOLLOW (fchown); null leaves that one alone. */
    public void setOwner(Path child, String owner, String group) throws IOException {
        try {
            chown(dir, child, owner, group);
        } catch (FileSystemException e) {
            throw explain(e, "chown");
        }
    }

    /** Opens the last name relative to the open directory; a link that got there meanwhile is named in the error. */
    public SeekableByteChannel open(Set<? extends OpenOption> options, String doing) throws IOException {
        try {
            return dir.newByteChannel(name, options);
        } catch (FileSystemException e) {
            throw explain(e, doing);
        }
    }

    /**
     * The error of a descriptor call in words that name the whole path: the JDK names only the last name, and
     * a link put there between the check and the call fails with ELOOP ("Too many levels of symbolic links").
     */
    private FileSystemException explain(FileSystemException e, String doing) {
        try {
            PosixFileAttributes now = attributesOrNull();
            if (now != null && now.isSymbolicLink()) {
                return linkRefused(realPath(), doing);
            }
        } catch (IOException ignored) {
            // the original error says enough
        }
        if (e instanceof NoSuchFileException) {
            return new NoSuchFileException(realPath().toString());
        }
        return e.getClass() == FileSystemException.class
                ? new FileSystemException(realPath().toString(), null, e.getReason()) : e;
    }

    /** fchown of a name relative to an open directory, through a descriptor opened with O_NOFOLLOW. */
    public static void chown(SecureDirectoryStream<Path> holder, Path child, String owner, String group) throws IOException {
        var lookup = child.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = holder.getFileAttributeView(child, PosixFileAttributeView.class, NOFOLLOW);
        if (owner != null) {
            // a number that names no user is taken as the uid by the lookup
            view.setOwner(lookup.lookupPrincipalByName(owner));
        }
        if (group != null) {
            view.setGroup(lookup.lookupPrincipalByGroupName(group));
        }
    }

    /** fchmod of a name relative to an open directory (permission bits only), through an O_NOFOLLOW descriptor. */
    public static void chmod(SecureDirectoryStream<Path> holder, Path child, int mode) throws IOException {
        if ((mode & ~0777) != 0) {
            throw new FileSystemException(child.toString(), null, String.format(
                    "mode %04o has setuid/setgid/sticky bits, which are set on a single path only, not recursively", mode));
        }
        holder.getFileAttributeView(child, PosixFileAttributeView.class, NOFOLLOW).setPermissions(permissions(mode));
    }

    /** Removes the last name; a directory with everything below it, never descending through a link. */
    public boolean delete() throws IOException {
        PosixFileAttributes a = attributesOrNull();
        if (a == null) {
            return false;
        }
        if (a.isDirectory()) {
            try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, NOFOLLOW)) {
                emptyDirectory(sub);
            }
            dir.deleteDirectory(name);
        } else {
            dir.deleteFile(name);
        }
        return true;
    }

    private static void emptyDirectory(SecureDirectoryStream<Path> d) throws IOException {
        List<Path> names = new ArrayList<>();
        for (Path p : d) {
            names.add(p.getFileName());
        }
        for (Path n : names) {
            PosixFileAttributes a = d.getFileAttributeView(n, PosixFileAttributeView.class, NOFOLLOW).readAttributes();
            if (a.isDirectory()) {
                try (SecureDirectoryStream<Path> sub = d.newDirectoryStream(n, NOFOLLOW)) {
                    emptyDirectory(sub);
                }
                d.deleteDirectory(n);
            } else {
                d.deleteFile(n);
            }
        }
    }

    /** What {@link #forEachBelow} does to each entry, relative to the directory holding it. */
    @FunctionalInterface
    public interface EntryChange {
        void apply(SecureDirectoryStream<Path> holder, Path name, PosixFileAttributes attrs) throws IOException;
    }

    /**
     * Applies a change to the last name and to everything below it, opening each directory relative to its
     * parent without following links; links themselves are passed to the change, which decides.
     */
    public void forEachBelow(EntryChange change) throws IOException {
        PosixFileAttributes a = requireNoLink("change");
        if (a == null) {
            throw new NoSuchFileException(realPath().toString());
        }
        change.apply(dir, name, a);
        if (a.isDirectory()) {
            try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, NOFOLLOW)) {
                walkBelow(sub, change);
            }
        }
    }

    private static void walkBelow(SecureDirectoryStream<Path> d, EntryChange change) throws IOException {
        List<Path> names = new ArrayList<>();
        for (Path p : d) {
            names.add(p.getFileName());
        }
        for (Path n : names) {
            PosixFileAttributes a;
            try {
                a = d.getFileAttributeView(n, PosixFileAttributeView.class, NOFOLLOW).readAttributes();
            } catch (NoSuchFileException gone) {
                continue;
            }
            change.apply(d, n, a);
            if (a.isDirectory()) {
                try (SecureDirectoryStream<Path> sub = d.newDirectoryStream(n, NOFOLLOW)) {
                    walkBelow(sub, change);
                }
            }
        }
    }

    /** fsync of the open directory itself, so a rename in it is durable; some filesystems refuse it. */
    public void syncDirectory() {
        try (SeekableByteChannel ch = dir.newByteChannel(Path.of("."), Set.of(StandardOpenOption.READ))) {
            if (ch instanceof FileChannel fc) {
                fc.force(true);
            }
        } catch (IOException e) {
            // the rename itself is still atomic
        }
    }

    /**
     * Fails unless the resolved path of this directory still names the directory this walk holds, for the
     * few calls Java offers only by path (mkdir, symlink, special mode bits): narrows the window to the call.
     */
    public void requireSameDirectory() throws IOException {
        Object held = dir.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey();
        Object now = Files.readAttributes(dirPath, PosixFileAttributes.class, NOFOLLOW).fileKey();
        if (!Objects.equals(held, now)) {
            throw new FileSystemException(dirPath.toString(), null, "was replaced while it was being changed");
        }
    }

    @Override
    public void close() throws IOException {
        dir.close();
    }

    /** The error for a link where none may be: the path, where it points and what was refused. */
    public static FileSystemException linkRefused(Path path, String doing) {
        String target;
        try {
            target = Files.readSymbolicLink(path).toString();
        } catch (IOException e) {
            target = "(unreadable)";
        }
        return new FileSystemException(path.toString(), null,
                "is a symbolic link to " + target + "; refusing to " + doing + " through it");
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                out.add(order[bit]);
            }
        }
        return out;
    }

    private record Opened(SecureDirectoryStream<Path> dir, Path path) {
    }

    /** Walks from / to {@code target}, name by name, following a link only in a directory only root can write. */
    private static Opened openDirectory(Path target) throws IOException {
        Deque<String> todo = new ArrayDeque<>();
        for (Path p : target) {
            todo.addLast(p.toString());
        }
        SecureDirectoryStream<Path> cur = openRoot();
        Path at = Path.of("/");
        int links = 0;
        try {
            while (!todo.isEmpty()) {
                String c = todo.removeFirst();
                if (c.isEmpty() || c.equals(".")) {
                    continue;
                }
                Path child = Path.of(c);
                PosixFileAttributes a;
                try {
                    a = cur.getFileAttributeView(child, PosixFileAttributeView.class, NOFOLLOW).readAttributes();
                } catch (NoSuchFileException e) {
                    throw new NoSuchFileException(at.resolve(c).toString());
                }
                if (a.isSymbolicLink()) {
                    Path link = at.resolve(c);
                    if (!onlyRootWrites(cur)) {
                        throw linkRefused(link, "follow a link in a directory a user other than root can write,");
                    }
                    if (++links > MAX_LINKS) {
                        throw new FileSystemException(link.toString(), null, "too many levels of symbolic links");
                    }
                    Path to = Files.readSymbolicLink(link);
                    List<String> front = new ArrayList<>();
                    for (Path p : to) {
                        front.add(p.toString());
                    }
                    for (int i = front.size() - 1; i >= 0; i--) {
                        todo.addFirst(front.get(i));
                    }
                    if (to.isAbsolute()) {
                        cur.close();
                        cur = openRoot();
                        at = Path.of("/");
                    }
                    continue;
                }
                if (!a.isDirectory()) {
                    throw new FileSystemException(at.resolve(c).toString(), null, "not a directory");
                }
                SecureDirectoryStream<Path> next = cur.newDirectoryStream(child, NOFOLLOW);
                cur.close();
                cur = next;
                at = c.equals("..") ? (at.getParent() == null ? at : at.getParent()) : at.resolve(c);
            }
            return new Opened(cur, at);
        } catch (IOException | RuntimeException e) {
            cur.close();
            throw e;
        }
    }

    private static boolean onlyRootWrites(SecureDirectoryStream<Path> d) throws IOException {
        PosixFileAttributes a = d.getFileAttributeView(PosixFileAttributeView.class).readAttributes();
        String owner = a.owner().getName();
        Set<PosixFilePermission> p = a.permissions();
        return (owner.equals("root") || owner.equals("0"))
                && !p.contains(PosixFilePermission.GROUP_WRITE) && !p.contains(PosixFilePermission.OTHERS_WRITE);
    }

    private static SecureDirectoryStream<Path> openRoot() throws IOException {
        DirectoryStream<Path> root = Files.newDirectoryStream(Path.of("/"));
        if (root instanceof SecureDirectoryStream<Path> secure) {
            return secure;
        }
        root.close();
        throw new FileSystemException("/", null, "this system cannot open files relative to a directory (no openat)");
    }
}
