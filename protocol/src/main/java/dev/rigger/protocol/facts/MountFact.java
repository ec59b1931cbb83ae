package dev.rigger.protocol.facts;

import java.util.List;

/** One line of /proc/self/mounts. */
public record MountFact(String device, String mountpoint, String fsType, List<String> options) {
}
