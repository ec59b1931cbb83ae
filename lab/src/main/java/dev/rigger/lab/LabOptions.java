package dev.rigger.lab;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What lab to make: its name (prefix of every Docker object it owns), how many nodes, the size of each
 * node's data disk ("4G", "512M", bytes), where its state lives, and whether its nodes run their own dockerd.
 * Nodes without dockerd still have sshd, python3, xfsprogs, the partitioning tools and the data disk: enough
 * to prepare hosts, at a fraction of the memory, so that many of them fit on one machine (benchmarks).
 */
public record LabOptions(String name, int nodes, String diskSize, Path stateRoot, boolean docker) {
    public static final String DEFAULT_NAME = "rigger";
    public static final int DEFAULT_NODES = 3;
    public static final String DEFAULT_DISK_SIZE = "4G";
    public static final Path DEFAULT_STATE_ROOT = Path.of(".rigger", "lab");

    // Docker object names are built from it, so keep it to what Docker and file names both accept.
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,30}");

    public LabOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(diskSize, "diskSize");
        Objects.requireNonNull(stateRoot, "stateRoot");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("lab name '" + name
                    + "': expected lower-case letters, digits and '-', at most 31 characters");
        }
        if (nodes < 1 || nodes > 200) {
            throw new IllegalArgumentException("lab '" + name + "': nodes must be 1..200, was " + nodes);
        }
        DiskSize.bytes(diskSize);
    }

    /** A lab whose nodes run dockerd, as {@code rigger lab up} makes by default. */
    public LabOptions(String name, int nodes, String diskSize, Path stateRoot) {
        this(name, nodes, diskSize, stateRoot, true);
    }

    public static LabOptions defaults() {
        return new LabOptions(DEFAULT_NAME, DEFAULT_NODES, DEFAULT_DISK_SIZE, DEFAULT_STATE_ROOT, true);
    }

    public LabOptions withName(String newName) {
        return new LabOptions(newName, nodes, diskSize, stateRoot, docker);
    }

    public LabOptions withNodes(int newNodes) {
        return new LabOptions(name, newNodes, diskSize, stateRoot, docker);
    }

    public LabOptions withDiskSize(String newDiskSize) {
        return new LabOptions(name, nodes, newDiskSize, stateRoot, docker);
    }

    public LabOptions withStateRoot(Path newStateRoot) {
        return new LabOptions(name, nodes, diskSize, newStateRoot, docker);
    }

    /** Whether the nodes run their own dockerd (Docker in Docker); without it a node is sshd and its disk. */
    public LabOptions withDocker(boolean newDocker) {
        return new LabOptions(name, nodes, diskSize, stateRoot, newDocker);
    }

    /** The disk size in bytes. */
    public long diskBytes() {
        return DiskSize.bytes(diskSize);
    }

    /** {@code <stateRoot>/<name>}, absolute: everything of this lab on the file system lies below it. */
    public Path labDir() {
        return stateRoot.toAbsolutePath().normalize().resolve(name);
    }
}
