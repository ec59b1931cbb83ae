package dev.rigger.lab;

import java.nio.file.Path;

/**
 * What one node looks like right now. {@code containerState} is Docker's state ("running", "exited", …) or
 * "missing"; {@code loopDevice} is null when no loop device is attached to the disk file.
 */
public record LabNodeStatus(String name, String containerState, String containerId, String address,
                            String loopDevice, Path diskFile, boolean diskFilePresent, boolean sshAnswering) {
}
