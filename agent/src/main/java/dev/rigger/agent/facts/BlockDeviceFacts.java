package dev.rigger.agent.facts;

import dev.rigger.agent.exec.CommandTimeoutException;
import dev.rigger.protocol.facts.BlockDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Block devices this host (or container) can use, named as /dev names them.
 *
 * <p>The devices come from the block nodes in /dev, not from /sys/block: inside a lab node the data disk
 * is the node {@code /dev/xvdf} while the kernel calls it {@code loop3}, and /sys/block lists the host's
 * devices too. Each node's major:minor leads to {@code /sys/dev/block/<maj:min>} for size, model, serial,
 * partitions and holders; {@code blkid -p} adds signatures; /proc/self/mountinfo adds mountpoints.
 * Unbacked loop devices, ram and zram devices are left out.
 */
public final class BlockDeviceFacts {
    private static final Path DEV = Path.of("/dev");
    private static final Path SYS_DEV_BLOCK = Path.of("/sys/dev/block");

    private BlockDeviceFacts() {
    }

    public static List<BlockDevice> collect() {
        return collect(MountFacts.collectInfo());
    }

    public static List<BlockDevice> collect(List<MountInfoEntry> mountInfo) {
        return collect(mountInfo, BlkidFacts::probe);
    }

    /**
     * As {@link #collect(List)}, with each blkid probe killed at the deadline; a device whose probe did not
     * finish is listed without signatures and its path added to {@code unprobed}.
     */
    static List<BlockDevice> collect(List<MountInfoEntry> mountInfo, Instant deadline, List<String> unprobed) {
        return collect(mountInfo, path -> {
            try {
                return BlkidFacts.probe(path, deadline);
            } catch (CommandTimeoutException e) {
                synchronized (unprobed) {   // probes run side by side
                    unprobed.add(path);
                }
                return Map.of();
            }
        });
    }

    private static List<BlockDevice> collect(List<MountInfoEntry> mountInfo, Function<String, Map<String, String>> blkid) {
        Map<String, String> nodes = deviceNodes();
        List<Found> found = new ArrayList<>();
        nodes.forEach((majMin, name) -> {
            Path sys = sysDir(majMin);
            if (sys == null || Files.exists(sys.resolve("partition")) || !isUsable(sys)) {
                return;
            }
            found.add(find(name, majMin, sys, nodes));
        });
        // one blkid per device is most of the cost: run them side by side
        List<String> paths = found.stream().flatMap(f -> Stream.concat(Stream.of(f), f.partitions().stream()))
                .map(Found::path).filter(p -> Files.exists(Path.of(p))).toList();
        List<Map<String, String>> probed = FactsThreads.inLanes(paths, blkid);
        Map<String, Map<String, String>> signatures = new HashMap<>();
        for (int i = 0; i < paths.size(); i++) {
            signatures.put(paths.get(i), probed.get(i));
        }
        return found.stream().map(f -> describe(f, mountInfo, signatures))
                .sorted(Comparator.comparing(BlockDevice::name)).toList();
    }

    /** A disk or partition as /dev and sysfs show it, before blkid has looked at it. */
    private record Found(String name, String type, String majMin, Path sys, Path diskSys, List<Found> partitions) {
        String path() {
            return "/dev/" + name;
        }
    }

    /** A disk or partition by name ({@code xvdf}) or path ({@code /dev/xvdf}). */
    public static Optional<BlockDevice> find(List<BlockDevice> devices, String nameOrPath) {
        String name = nameOrPath.startsWith("/dev/") ? nameOrPath.substring(5) : nameOrPath;
        for (BlockDevice d : devices) {
            if (d.name().equals(name)) {
                return Optional.of(d);
            }
            for (BlockDevice p : d.partitions()) {
                if (p.name().equals(name)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** {@code major:minor} of a block device node, or null when the path is not a block device. */
    public static String majMin(Path node) {
        try {
            int mode = (Integer) Files.getAttribute(node, "unix:mode");
            if ((mode & 0170000) != 0060000) {
                return null;
            }
            long rdev = (Long) Files.getAttribute(node, "unix:rdev");
            // glibc's gnu_dev_major/gnu_dev_minor: the 64-bit dev_t splits both numbers in two
            long major = ((rdev >>> 8) & 0xfffL) | ((rdev >>> 32) & ~0xfffL);
            long minor = (rdev & 0xffL) | ((rdev >>> 12) & ~0xffL);
            return major + ":" + minor;
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            return null;
        }
    }

    /**
     * {@code major:minor} of a block device node that the kernel knows, or null. A node can outlive its
     * device (one made by mknod is not removed with it), so existence of the node alone proves nothing.
     */
    public static String liveMajMin(Path node) {
        String mm = majMin(node);
        return mm != null && Files.exists(SYS_DEV_BLOCK.resolve(mm)) ? mm : null;
    }

    /** The partition's path for a disk: {@code p1} after a name ending in a digit (nvme0n1p1, loop3p1), else {@code 1}. */
    public static String partitionPath(String diskPath, int number) {
        return diskPath + (Character.isDigit(diskPath.charAt(diskPath.length() - 1)) ? "p" : "") + number;
    }

    /** The sysfs directory of a device number, or null when the kernel does not know it. */
    public static Path sysDir(String majMin) {
        try {
            Path p = SYS_DEV_BLOCK.resolve(majMin);
            return Files.exists(p) ? p.toRealPath() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Partition number -> sysfs directory of each partition the kernel knows on this disk. */
    public static Map<Integer, Path> kernelPartitions(Path diskSys) {
        Map<Integer, Path> parts = new TreeMap<>();
        try (Stream<Path> children = Files.list(diskSys)) {
            children.filter(c -> Files.exists(c.resolve("partition"))).forEach(c ->
                    parts.put((int) SysFiles.readLong(c.resolve("partition"), 0), c));
        } catch (IOException e) {
            // not a directory we can read: no partitions known
        }
        return parts;
    }

    /** major:minor -> the preferred /dev name of every block node directly under /dev. */
    static Map<String, String> deviceNodes() {
        Map<String, String> nodes = new TreeMap<>();
        try (Stream<Path> entries = Files.list(DEV)) {
            entries.sorted(Comparator.comparing((Path p) -> p.getFileName().toString().startsWith("loop"))
                            .thenComparing(p -> p.getFileName().toString().length())
                            .thenComparing(p -> p.getFileName().toString()))
                    .forEach(p -> {
                        String mm = majMin(p);
                        if (mm != null) {
                            // a name given on purpose (xvdf) wins over the kernel's (loop3) for the same device
                            nodes.putIfAbsent(mm, p.getFileName().toString());
                        }
                    });
        } catch (IOException e) {
            // no /dev: no devices
        }
        return nodes;
    }

    private static boolean isUsable(Path sys) {
        String kernelName = sys.getFileName().toString();
        if (kernelName.startsWith("ram") || kernelName.startsWith("zram")) {
            return false;
        }
        if (kernelName.startsWith("loop")) {
            return SysFiles.read(sys.resolve("loop/backing_file")) != null && SysFiles.readLong(sys.resolve("size"), 0) > 0;
        }
        return true;
    }

    private static Found find(String name, String majMin, Path sys, Map<String, String> nodes) {
        String path = "/dev/" + name;
        List<Found> partitions = new ArrayList<>();
        kernelPartitions(sys).forEach((number, partSys) -> {
            String partMajMin = SysFiles.read(partSys.resolve("dev"));
            String partName = partMajMin != null && nodes.containsKey(partMajMin)
                    ? nodes.get(partMajMin) : partitionPath(path, number).substring(5);
            partitions.add(new Found(partName, "part", partMajMin, partSys, sys, List.of()));
        });
        return new Found(name, name.startsWith("loop") ? "loop" : "disk", majMin, sys, sys, partitions);
    }

    private static BlockDevice describe(Found f, List<MountInfoEntry> mountInfo, Map<String, Map<String, String>> signatures) {
        List<BlockDevice> partitions = f.partitions().stream().map(p -> describe(p, mountInfo, signatures)).toList();
        String path = f.path();
        Map<String, String> blkid = signatures.getOrDefault(path, Map.of());
        String partuuid = blkid.getOrDefault("PART_ENTRY_UUID", blkid.get("PARTUUID"));
        return new BlockDevice(f.name(), path, f.type(), f.majMin(),
                SysFiles.readLong(f.sys().resolve("size"), 0) * 512L,
                firstOf(f.diskSys().resolve("device/model"), f.diskSys().resolve("model")),
                firstOf(f.diskSys().resolve("device/serial"), f.diskSys().resolve("serial")),
                SysFiles.readLong(f.diskSys().resolve("queue/rotational"), 0) == 1,
                SysFiles.readLong(f.sys().resolve("ro"), 0) == 1,
                blkid.get("TYPE"), blkid.get("UUID"), partuuid, blkid.get("LABEL"), blkid.get("PTTYPE"),
                mountpoints(f.majMin(), path, mountInfo), holders(f.sys()), partitions);
    }

    private static String firstOf(Path... candidates) {
        for (Path p : candidates) {
            String v = SysFiles.read(p);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static List<String> mountpoints(String majMin, String path, List<MountInfoEntry> mountInfo) {
        return mountInfo.stream()
                .filter(m -> m.majMin().equals(majMin) || m.source().equals(path))
                .map(MountInfoEntry::mountpoint).distinct().toList();
    }

    private static List<String> holders(Path sys) {
        try (Stream<Path> s = Files.list(sys.resolve("holders"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
