package dev.rigger.agent.facts;

/**
 * One line of /proc/self/mountinfo: the mount's device number is what ties a mount to a block device
 * inside a container, where the mount source may name a device node that does not exist there.
 */
public record MountInfoEntry(String majMin, String mountpoint, String fsType, String source, String options) {
}
