package dev.rigger.agent.modules.step;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Replaces a file's content atomically: a temp file created in the opened parent directory
 * (O_CREAT|O_EXCL|O_NOFOLLOW), fsync, rename within that directory, fsync of the directory. Where rename
 * cannot replace the file (a bind-mounted file such as a container's /etc/hosts fails with EBUSY) it
 * writes in place instead, through a descriptor opened with O_NOFOLLOW. A replaced file keeps its owner,
 * group and mode. A link at the path is refused, never written through (see {@link DirectoryWalk}).
 */
public final class FileWriter {
    private static final SecureRandom RANDOM = new SecureRandom();

    private FileWriter() {
    }

    /** @return true when the file was written in place because rename was refused */
    public static boolean write(Path path, byte[] bytes) throws IOException {
        try (DirectoryWalk walk = DirectoryWalk.parentOf(path)) {
            return write(walk, bytes);
        }
    }

    /** Writes the last name of an already opened walk. */
    static boolean write(DirectoryWalk walk, byte[] bytes) throws IOException {
        SecureDirectoryStream<Path> dir = walk.directory();
        Path name = walk.name();
        PosixFileAttributes before = walk.requireNoLink("write");
        if (before != null && !before.isRegularFile()) {
            throw new FileSystemException(walk.realPath().toString(), null, "not a regular file; refusing to replace it");
        }
        Path temp = createTemp(dir, name, bytes, walk.realPath());
        try {
            try {
                copyAttributes(before, walk.view(temp));
            } catch (IOException e) {
                // ENOSPC, EIO, a quota: the file itself was not touched, and the reader should know it
                throw new IOException(NativeStep.reason(e) + "; " + walk.realPath() + " was left as it was", e);
            }
            try {
                dir.move(temp, dir, name);
                walk.syncDirectory();
                return false;
            } catch (FileSystemException e) {
                if (e.getReason() != null && e.getReason().contains("busy")) {
                    writeInPlace(walk, bytes);
                    return true;
                }
                throw e;
            }
        } finally {
            try {
                dir.deleteFile(temp);
            } catch (IOException gone) {
                // renamed into place, as it should be
            }
        }
    }

    /** The fallback for a bind-mounted file: truncate and write through an O_NOFOLLOW descriptor. */
    private static void writeInPlace(DirectoryWalk walk, byte[] bytes) throws IOException {
        try (SeekableByteChannel ch = walk.open(Set.of(StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                LinkOption.NOFOLLOW_LINKS), "write")) {
            writeAll(ch, bytes);
        }
    }

    /** A new temp file next to the target, written and synced through the descriptor that created it. */
    private static Path createTemp(SecureDirectoryStream<Path> dir, Path name, byte[] bytes, Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            byte[] r = new byte[8];
            RANDOM.nextBytes(r);
            Path temp = Path.of("." + name + "." + HexFormat.of().formatHex(r) + ".rigger-tmp");
            SeekableByteChannel ch;
            try {
                ch = dir.newByteChannel(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                if (attempt > 8) {
                    throw e;
                }
                continue;
            } catch (IOException e) {
                throw new IOException(NativeStep.reason(e) + "; " + target + " was left as it was", e);
            }
            try (ch) {
                writeAll(ch, bytes);
            } catch (IOException e) {
                try {
                    dir.deleteFile(temp);
                } catch (IOException ignored) {
                    // the write error is the one to report
                }
                throw new IOException(NativeStep.reason(e) + "; " + target + " was left as it was", e);
            }
            return temp;
        }
    }

    private static void writeAll(SeekableByteChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        if (ch instanceof FileChannel fc) {
            fc.force(true);
        }
    }

    private static void copyAttributes(PosixFileAttributes from, PosixFileAttributeView to) throws IOException {
        if (from == null) {
            // a new file gets the usual 0644 rather than the temp file's 0600
            to.setPermissions(PosixFilePermissions.fromString("rw-r--r--"));
            return;
        }
        to.setOwner(from.owner());
        to.setGroup(from.group());
        to.setPermissions(from.permissions());
    }
}
