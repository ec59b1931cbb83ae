package dev.rigger.agent.modules;

import dev.rigger.agent.facts.BlockDeviceFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What holds a device up: the kernel's holders (a device-mapper or MD device built on it, in
 * {@code /sys/dev/block/<maj:min>/holders}) or a signature that makes it a member of another layer even while
 * that layer is not active (an LVM physical volume, an MD RAID member, a LUKS container).
 */
public final class DeviceHolders {
    /** blkid types of devices that belong to another layer rather than holding a filesystem. */
    static final Set<String> MEMBER_TYPES = Set.of("LVM2_member", "linux_raid_member", "crypto_LUKS", "ddf_raid_member",
            "isw_raid_member", "zfs_member", "bcache");

    private DeviceHolders() {
    }

    /**
     * Why {@code devicePath} is held ("held by dm-0", "an LVM2_member signature"); empty when it is not.
     * {@code blkid} holds the probe's values for it (TYPE and USAGE are read).
     */
    public static List<String> of(String devicePath, Map<String, String> blkid) {
        List<String> why = new ArrayList<>();
        List<String> holders = kernelHolders(devicePath);
        if (!holders.isEmpty()) {
            why.add(devicePath + " is held by " + String.join(", ", holders));
        }
        String type = blkid.get("TYPE");
        String usage = blkid.get("USAGE");
        if (type != null && (MEMBER_TYPES.contains(type) || "raid".equals(usage) || "crypto".equals(usage))) {
            why.add(devicePath + " carries a " + type + " signature");
        }
        return why;
    }

    /** The names in the device's sysfs holders directory, read now. */
    static List<String> kernelHolders(String devicePath) {
        String majMin = BlockDeviceFacts.liveMajMin(Path.of(devicePath));
        Path sys = majMin == null ? null : BlockDeviceFacts.sysDir(majMin);
        if (sys == null) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(sys.resolve("holders"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The refusal for a held device when the task said only {@code force: true} (or nothing). */
    public static String refusal(String what, String device, List<String> held) {
        return "refusing to " + what + " " + device + ": " + String.join("; ", held)
                + " (another layer uses it; force: true does not override that, force: \"held\" does)";
    }
}
