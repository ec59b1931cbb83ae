package dev.rigger.ecssim;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real XFS filesystem on a loop device, mounted where the host's /ecs/uuid-X would appear inside the
 * container (e.g. ROOT/dae/uuid-1) and owned by uid 444. Closing unmounts, detaches and deletes it.
 */
final class XfsLoopMount implements AutoCloseable {
    /** mkfs.xfs refuses filesystems under 300 MB; the file is sparse. */
    private static final long SIZE = 320L * 1024 * 1024;

    private final Path image;
    private final Path mountPoint;
    private final String device;
    private boolean mounted;

    private XfsLoopMount(Path image, Path mountPoint, String device) {
        this.image = image;
        this.mountPoint = mountPoint;
        this.device = device;
    }

    static XfsLoopMount create(Path image, Path mountPoint) throws IOException, InterruptedException {
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(SIZE);
        }
        String device = Commands.run("losetup", "--find", "--show", image.toString());
        XfsLoopMount mount = new XfsLoopMount(image, mountPoint, device);
        try {
            Commands.run("mkfs.xfs", "-q", "-f", device);
            Files.createDirectories(mountPoint);
            Commands.run("mount", "-t", "xfs", device, mountPoint.toString());
            mount.mounted = true;
            Commands.run("chown", "444:444", mountPoint.toString());
        } catch (IOException | InterruptedException | RuntimeException e) {
            mount.close();
            throw e;
        }
        return mount;
    }

    Path mountPoint() {
        return mountPoint;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (mounted) {
            Commands.run("umount", mountPoint.toString());
            mounted = false;
        }
        Commands.run("losetup", "-d", device);
        Files.deleteIfExists(image);
    }
}
