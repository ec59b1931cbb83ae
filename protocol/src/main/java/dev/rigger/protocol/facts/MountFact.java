package dev.rigger.protocol.facts;

import java.util.List;

/**
 * One line of /proc/self/mounts, with the sizes statvfs(3) reports for its mountpoint (what {@code df -B1}
 * shows). A size is null when it is unknown: the statvfs call failed or did not return within its
 * bound (a dead NFS server), or the facts were gathered before sizes were reported.
 *
 * @param sizeBytes      {@code f_blocks × f_frsize}: df's "1B-blocks"
 * @param availableBytes {@code f_bavail × f_frsize}: what an unprivileged writer can still use, df's "Avail"
 * @param usedBytes      {@code (f_blocks − f_bfree) × f_frsize}: df's "Used"
 */
public record MountFact(String device, String mountpoint, String fsType, List<String> options,
                        Long sizeBytes, Long availableBytes, Long usedBytes) {

    /** A mount whose sizes are not known (yet). */
    public MountFact(String device, String mountpoint, String fsType, List<String> options) {
        this(device, mountpoint, fsType, options, null, null, null);
    }

    public MountFact withSizes(Long sizeBytes, Long availableBytes, Long usedBytes) {
        return new MountFact(device, mountpoint, fsType, options, sizeBytes, availableBytes, usedBytes);
    }
}
