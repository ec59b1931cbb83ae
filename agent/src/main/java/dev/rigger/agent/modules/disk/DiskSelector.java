package dev.rigger.agent.modules.disk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.agent.modules.ModuleArgs;
import dev.rigger.agent.modules.ArgsException;
import dev.rigger.protocol.facts.BlockDevice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code select} argument of {@code disk}: name, serial and size narrow the disks down; {@code auto}
 * then wants exactly one that is blank and big enough. Each rejected disk keeps its reason for the error.
 */
record DiskSelector(String name, String serial, Long size, boolean auto, long minSize) {
    static final Set<String> SYSTEM_DIRS = Set.of("bin", "boot", "etc", "home", "lib", "lib64", "nix", "opt", "root",
            "sbin", "snap", "srv", "tmp", "usr", "var");

    static DiskSelector from(ModuleArgs args) {
        JsonNode raw = args.raw("select");
        if (raw != null && raw.isTextual() && !raw.asText().isBlank()) {
            String byName = raw.asText();
            // "select": "xvdf" is the short form of {"name": "xvdf"}, so -e data_disk=nvme1n1 just works
            return new DiskSelector(byName, null, null, false, 0);
        }
        ModuleArgs select = args.object("select");
        DiskSelector s = new DiskSelector(select.string("name", null), select.string("serial", null),
                select.size("size"), select.bool("auto", false), orZero(select.size("minSize")));
        if (s.name == null && s.serial == null && s.size == null && !s.auto) {
            throw new ArgsException("args.select: give at least one of name, serial, size, auto");
        }
        return s;
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    /** Disk -> why it does not match (absent key: it matches). */
    Map<BlockDevice, String> rejections(List<BlockDevice> disks) {
        Map<BlockDevice, String> why = new LinkedHashMap<>();
        for (BlockDevice d : disks) {
            List<String> reasons = new ArrayList<>();
            if (name != null && !d.name().equals(stripDev(name))) {
                reasons.add("name is not " + name);
            }
            if (serial != null && !normalSerial(serial).equals(normalSerial(d.serial()))) {
                reasons.add("serial " + d.serial() + " is not " + serial);
            }
            if (size != null && d.sizeBytes() != size) {
                reasons.add("size " + d.sizeBytes() + " is not " + size);
            }
            if (auto) {
                reasons.addAll(autoRejections(d));
            }
            if (!reasons.isEmpty()) {
                why.put(d, String.join(", ", reasons));
            }
        }
        return why;
    }

    /**
     * Disks that look as the {@code partition} module leaves one (a GPT label with exactly one partition,
     * big enough, not held, writable): on a second run, {@code auto} must find the disk it chose the first
     * time, which is no longer blank, rather than another blank disk attached since.
     */
    List<BlockDevice> preparedEarlier(List<BlockDevice> disks) {
        if (!auto || name != null || serial != null || size != null) {
            return List.of();
        }
        return disks.stream().filter(d -> "gpt".equals(d.ptType()) && d.partitions().size() == 1
                && d.holders().isEmpty() && d.partitions().get(0).holders().isEmpty() && d.mountpoints().isEmpty()
                && d.partitions().get(0).mountpoints().stream().noneMatch(DiskSelector::isSystemMount)
                && !d.readOnly() && d.sizeBytes() >= minSize).toList();
    }

    /**
     * The root filesystem or one of the system's own directories: a single-partition GPT disk mounted there
     * is the system disk (some images have exactly one partition), never the data disk an earlier run prepared.
     */
    static boolean isSystemMount(String mountpoint) {
        if (mountpoint.equals("/")) {
            return true;
        }
        String top = mountpoint.substring(1).split("/", 2)[0];
        return SYSTEM_DIRS.contains(top);
    }

    private List<String> autoRejections(BlockDevice d) {
        List<String> reasons = new ArrayList<>();
        boolean mounted = !d.mountpoints().isEmpty() || d.partitions().stream().anyMatch(p -> !p.mountpoints().isEmpty());
        if (mounted) {
            reasons.add("mounted");
        }
        if (!d.partitions().isEmpty() || d.ptType() != null) {
            reasons.add("partitioned");
        }
        if (d.fsType() != null) {
            reasons.add("holds a " + d.fsType() + " signature");
        }
        if (!d.holders().isEmpty()) {
            reasons.add("held by " + String.join(",", d.holders()));
        }
        if (d.readOnly()) {
            reasons.add("read-only");
        }
        if (d.sizeBytes() < minSize) {
            reasons.add("smaller than minSize " + minSize);
        }
        return reasons;
    }

    String describe() {
        List<String> parts = new ArrayList<>();
        if (name != null) {
            parts.add("name=" + name);
        }
        if (serial != null) {
            parts.add("serial=" + serial);
        }
        if (size != null) {
            parts.add("size=" + size);
        }
        if (auto) {
            parts.add("auto (minSize=" + minSize + ")");
        }
        return "{" + String.join(", ", parts) + "}";
    }

    static String stripDev(String nameOrPath) {
        return nameOrPath.startsWith("/dev/") ? nameOrPath.substring(5) : nameOrPath;
    }

    /** EBS volume ids appear as NVMe serials without the dash: vol-0abc == vol0abc. */
    static String normalSerial(String s) {
        return s == null ? "" : s.replace("-", "").strip().toLowerCase(Locale.ROOT);
    }
}
