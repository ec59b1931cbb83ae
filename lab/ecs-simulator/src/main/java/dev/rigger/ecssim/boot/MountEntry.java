package dev.rigger.ecssim.boot;

import java.nio.file.Path;

/** One line of /proc/self/mountinfo: where a filesystem is mounted and of which type. */
public record MountEntry(Path mountPoint, String fsType, String source) {
}
