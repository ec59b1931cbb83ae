package dev.rigger.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes that a crash or a kill cannot leave half done: the content goes to a temp file in the target's
 * directory, the file is fsynced, renamed over the target, and the directory is fsynced so that the rename
 * itself survives a power loss. A reader sees the old file or the new one; a failure leaves the old one and
 * no temp file.
 *
 * <p>Hosts' files are not written here: the agent writes them as root through its own stricter writer,
 * which refuses symbolic links on the way.
 */
public final class AtomicFiles {
    /** Only the owner may read or write: the mode of a new file when none is given. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private static final AtomicFiles DURABLE = new AtomicFiles(Sync.DISK);

    /** Writes a file's content to a stream (closing it is not its business). */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** What makes a write durable; tests observe it. */
    interface Sync {
        void file(FileChannel channel) throws IOException;

        void directory(Path dir) throws IOException;

        Sync DISK = new Sync() {
            @Override
            public void file(FileChannel channel) throws IOException {
                channel.force(true);
            }

            @Override
            public void directory(Path dir) throws IOException {
                try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
                    channel.force(true);
                }
            }
        };
    }

    private final Sync sync;

    AtomicFiles(Sync sync) {
        this.sync = sync;
    }

    /** Replaces {@code target}, keeping its mode; a new file is {@link #OWNER_ONLY}. */
    public static void write(Path target, byte[] content) throws IOException {
        DURABLE.replace(target, null, out -> out.write(content));
    }

    /** Replaces {@code target} with a file of exactly {@code permissions}, set before the first byte is written. */
    public static void write(Path target, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
        DURABLE.replace(target, permissions, out -> out.write(content));
    }

    /** As {@link #write(Path, byte[], Set)} for content written as a stream (null permissions keep the target's). */
    public static void write(Path target, Set<PosixFilePermission> permissions, Content content) throws IOException {
        DURABLE.replace(target, permissions, content);
    }

    /**
     * Moves a finished file another program wrote (in a directory of the target's file system) over
     * {@code target}, with the same fsyncs as a write.
     */
    public static void moveInto(Path written, Path target) throws IOException {
        DURABLE.move(written, target);
    }

    void replace(Path target, Set<PosixFilePermission> permissions, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Set<PosixFilePermission> mode = permissions != null ? permissions
                : Files.exists(target) ? Files.getPosixFilePermissions(target) : OWNER_ONLY;
        // created 0600, so nobody else can open it before its mode is set
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            Files.setPosixFilePermissions(temp, mode);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                content.writeTo(out);
                out.flush();
                sync.file(channel);
            }
            // a rename within one directory is atomic on POSIX file systems
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        sync.directory(dir);
    }

    void move(Path written, Path target) throws IOException {
        try (FileChannel channel = FileChannel.open(written, StandardOpenOption.WRITE)) {
            sync.file(channel);
        }
        Files.move(written, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sync.directory(target.toAbsolutePath().getParent());
    }
}
