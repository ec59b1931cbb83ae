package dev.rigger.agent.modules.step;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * Replaces a file's content atomically: a temp file in the same directory, fsync, rename. Where rename
 * cannot replace the file (a bind-mounted file such as a container's /etc/hosts fails with EBUSY) it
 * writes in place instead. A replaced file keeps its owner, group and mode.
 */
public final class FileWriter {
    private FileWriter() {
    }

    /** @return true when the file was written in place because rename was refused */
    public static boolean write(Path path, byte[] bytes) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".rigger-tmp");
        try {
            try {
                writeSynced(temp, bytes, false);
                copyAttributes(path, temp);
            } catch (IOException e) {
                // ENOSPC, EIO, a quota: the file itself was not touched, and the reader should know it
                throw new IOException(NativeStep.reason(e) + "; " + path + " was left as it was", e);
            }
            try {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                syncDirectory(dir);
                return false;
            } catch (AtomicMoveNotSupportedException e) {
                writeSynced(path, bytes, true);
                return true;
            } catch (FileSystemException e) {
                if (e.getMessage() != null && e.getMessage().contains("busy")) {
                    writeSynced(path, bytes, true);
                    return true;
                }
                throw e;
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void writeSynced(Path path, byte[] bytes, boolean truncateExisting) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    private static void copyAttributes(Path from, Path to) throws IOException {
        if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
            // a new file gets the usual 0644 rather than createTempFile's 0600
            Files.setPosixFilePermissions(to, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            return;
        }
        PosixFileAttributes a = Files.readAttributes(from, PosixFileAttributes.class);
        PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        view.setOwner(a.owner());
        view.setGroup(a.group());
        view.setPermissions(a.permissions());
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some filesystems refuse fsync on a directory; the rename itself is still atomic
        }
    }
}
