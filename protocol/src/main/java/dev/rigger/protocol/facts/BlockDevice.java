package dev.rigger.protocol.facts;

import java.util.List;

/**
 * A block device as the kernel and blkid see it. {@code type} is {@code disk}, {@code part} or {@code loop}.
 * {@code signature} is the first signature blkid finds (a filesystem, or {@code gpt}/{@code dos} for a
 * partition table), or null when the device is blank.
 */
public record BlockDevice(String name, String path, String type, String majMin, long sizeBytes,
                          String model, String serial, boolean rotational, boolean readOnly,
                          String fsType, String uuid, String partuuid, String label, String ptType,
                          List<String> mountpoints, List<String> holders, List<BlockDevice> partitions) {
}
