package dev.rigger.agent.testing;

import dev.rigger.agent.facts.BlockDeviceFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real block device for tests: a sparse file on a loop device. Closing unmounts whatever is mounted
 * from it or its partitions, detaches it and deletes the file.
 */
public final class LoopDevice implements AutoCloseable {
    private final Path file;
    private final String path;

    private LoopDevice(Path file, String path) {
        this.file = file;
        this.path = path;
    }

    public static LoopDevice create(long sizeBytes) throws IOException {
        Path file = Files.createTempFile("rigger-loop-", ".img");
        Sh.ok("truncate", "-s", Long.toString(sizeBytes), file.toString());
        String dev = Sh.ok("losetup", "-f", "--show", file.toString()).strip();
        LoopDevice loop = new LoopDevice(file, dev);
        // a loop device without partscan keeps partitions that partx added after it is detached, so a
        // reused loopN may come with a stale loopNp1: start clean
        loop.dropKernelPartitions();
        return loop;
    }

    /** /dev/loopN */
    public String path() {
        return path;
    }

    public String partitionPath() {
        return path + "p1";
    }

    @Override
    public void close() throws IOException {
        for (String mountpoint : mountpointsOf(List.of(path, partitionPath()))) {
            Sh.any("umount", "-l", mountpoint);
        }
        dropKernelPartitions();
        Sh.any("losetup", "-d", path);
        // a partition node made by mknod outlives the device; the next user of this loopN must not see it
        Files.deleteIfExists(Path.of(partitionPath()));
        Files.deleteIfExists(file);
    }

    private void dropKernelPartitions() throws IOException {
        String majMin = BlockDeviceFacts.majMin(Path.of(path));
        Path sys = majMin == null ? null : BlockDeviceFacts.sysDir(majMin);
        if (sys != null) {
            for (int number : BlockDeviceFacts.kernelPartitions(sys).keySet()) {
                Sh.any("delpart", path, Integer.toString(number));
            }
        }
    }

    private static List<String> mountpointsOf(List<String> devices) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                .map(l -> l.split(" "))
                .filter(f -> devices.contains(f[0]))
                .map(f -> f[1]).toList();
    }
}
