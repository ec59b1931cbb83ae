package dev.rigger.agent.modules.mount;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.agent.facts.BlkidFacts;
import dev.rigger.agent.facts.BlockDeviceFacts;
import dev.rigger.agent.facts.MountInfoEntry;
import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ArgsException;
import dev.rigger.agent.modules.ModuleArgs;
import dev.rigger.agent.modules.ModuleContext;
import dev.rigger.agent.modules.ModuleData;
import dev.rigger.agent.modules.ModuleException;
import dev.rigger.agent.modules.Plan;
import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.step.LinkTargets;
import dev.rigger.agent.modules.step.RequireBlockDeviceStep;
import dev.rigger.agent.modules.step.WriteFileStep;
import dev.rigger.protocol.Diff;
import dev.rigger.protocol.facts.BlockDevice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code mount}: mounts a device and keeps exactly one fstab line for the mountpoint.
 *
 * <p>Arguments: {@code path}, {@code device} ("/dev/xvdf1", "UUID=..", "PARTUUID=.."), {@code type},
 * {@code options?: "defaults"} (one string), {@code state?: mounted|present|unmounted|absent} (mounted),
 * {@code fstab?: true}, {@code fstabSource?: partuuid|uuid|device} (PARTUUID when the device has one,
 * else UUID), {@code fstabPath?: "/etc/fstab"}. {@code device} and {@code type} are needed only to mount
 * ({@code mounted}, {@code present}). Every value that reaches the fstab line or mount's command line is one
 * field ({@link FstabFields}); the mount point is canonical and no link on its way is followed ({@link MountPoint}).
 *
 * <p>Idempotency compares the fstab line field by field, and the live mount by mountpoint and device
 * number (/proc/self/mountinfo). Options are not compared naively with the live mount: the kernel drops
 * some (XFS {@code attr2}), so a remount happens only when a generic VFS option that the kernel always
 * shows (rw, noatime, nosuid, ...) is missing. Data: {@code {path, device, source}}.
 * <pre>{@code {"module": "mount", "args": {"device": "{{ part.path }}", "path": "/ecs/uuid-{{ part.partuuid }}",
 *   "type": "xfs", "options": "rw,noatime,attr2,inode64,noquota"}}}</pre>
 */
public final class MountModule implements AgentModule {
    /** Per-mount flags the kernel always lists in mountinfo when set; anything else may be hidden or renamed. */
    static final Set<String> VISIBLE_OPTIONS = Set.of("rw", "ro", "noatime", "relatime", "strictatime",
            "nodiratime", "nosuid", "nodev", "noexec", "sync", "dirsync", "lazytime");

    @Override
    public Plan plan(ObjectNode rawArgs, ModuleContext ctx) {
        ModuleArgs args = new ModuleArgs(rawArgs);
        String path = MountPoint.canonical(FstabFields.mountPoint("path", args.requiredString("path")));
        String state = args.choice("state", "mounted", "mounted", "present", "unmounted", "absent");
        boolean wantsDevice = state.equals("mounted") || state.equals("present");
        String device = FstabFields.field("device", wantsDevice ? args.requiredString("device") : args.string("device", null));
        String type = FstabFields.field("type", wantsDevice ? args.requiredString("type") : args.string("type", null));
        String options = FstabFields.field("options", args.string("options", "defaults"));
        boolean manageFstab = args.bool("fstab", true);
        String fstabSource = args.choice("fstabSource", null, "partuuid", "uuid", "device");
        Path fstab = Path.of(args.string("fstabPath", "/etc/fstab"));
        // a link on the way would have mount or umount act on whatever it points to
        MountPoint.firstMissing(path);

        String devPath = device == null ? null : resolve(device, ctx);
        String majMin = devPath == null ? null : BlockDeviceFacts.liveMajMin(Path.of(devPath));
        if (wantsDevice && majMin == null) {
            // an earlier task of this run would create the device: check mode says so, a real run fails by name
            return Plan.change("mount " + device + " on " + path, List.of(new RequireBlockDeviceStep(devPath != null ? devPath : device)),
                    ModuleData.of("path", path, "device", device, "source", Plan.KNOWN_AFTER_APPLY));
        }
        // a UUID or PARTUUID read from the device is the device's word: it must be one field too
        String source = device == null ? null : FstabFields.field("device", fstabSourceFor(device, devPath, fstabSource));

        List<Step> steps = new ArrayList<>();
        List<String> did = new ArrayList<>();
        Diff diff = null;
        if (manageFstab && !state.equals("unmounted")) {
            String before = readFstab(fstab);
            String after = state.equals("absent") ? withoutMountpoint(before, path)
                    : withLine(before, new FstabEntry(source, path, type, options, "0", "0"));
            if (!after.equals(before)) {
                steps.add(new WriteFileStep(fstab, after.getBytes(StandardCharsets.UTF_8)));
                did.add("update " + fstab);
                diff = new Diff(before, after);
            }
        }
        MountInfoEntry live = ctx.mountInfo().stream().filter(m -> m.mountpoint().equals(path))
                .reduce((a, b) -> b).orElse(null);   // the last one is the one on top
        if (state.equals("mounted")) {
            if (live == null) {
                steps.add(GuardedMountStep.mount(type, options, devPath, majMin, path));
                did.add("mount " + devPath + " on " + path);
            } else if (!live.majMin().equals(majMin)) {
                throw new ModuleException(path + " has " + live.source() + " (" + live.majMin() + ") mounted, not "
                        + devPath + " (" + majMin + "); unmount it first");
            } else if (!missingVisible(options, live.options()).isEmpty()) {
                // want mounted and it is, but an option the kernel would show is missing: remount
                steps.add(GuardedMountStep.remount(options, path));
                did.add("remount " + path + " (missing " + String.join(",", missingVisible(options, live.options())) + ")");
            }
        } else if ((state.equals("unmounted") || state.equals("absent")) && live != null) {
            steps.add(GuardedMountStep.unmount(path));
            did.add("unmount " + path);
        }
        Map<String, Object> data = ModuleData.of("path", path, "device", device, "source", source);
        if (steps.isEmpty()) {
            return Plan.noop(path + " is " + state + (source != null ? " from " + source : ""), data);
        }
        return Plan.change(String.join(", ", did), steps, data).withDiff(diff);
    }

    /** The /dev path of a device given as a path or as UUID=/PARTUUID=/LABEL=; null when no such device is seen. */
    private static String resolve(String device, ModuleContext ctx) {
        int eq = device.indexOf('=');
        if (device.startsWith("/") || eq < 0) {
            return device;
        }
        String tag = device.substring(0, eq);
        String value = device.substring(eq + 1);
        for (BlockDevice d : ctx.blockDevices()) {
            List<BlockDevice> all = new ArrayList<>(d.partitions());
            all.add(d);
            for (BlockDevice x : all) {
                String v = switch (tag) {
                    case "UUID" -> x.uuid();
                    case "PARTUUID" -> x.partuuid();
                    case "LABEL" -> x.label();
                    default -> throw new ArgsException("args.device: expected a path, UUID=, PARTUUID= or LABEL=, got \"" + device + "\"");
                };
                if (value.equalsIgnoreCase(v == null ? "" : v)) {
                    return x.path();
                }
            }
        }
        return null;
    }

    private static String fstabSourceFor(String device, String devPath, String wanted) {
        if (wanted == null && device.contains("=") && !device.startsWith("/")) {
            return device;
        }
        Map<String, String> probe = BlkidFacts.probe(devPath);
        String partuuid = probe.getOrDefault("PART_ENTRY_UUID", probe.get("PARTUUID"));
        String uuid = probe.get("UUID");
        if (wanted == null) {
            return partuuid != null ? "PARTUUID=" + partuuid : uuid != null ? "UUID=" + uuid : devPath;
        }
        return switch (wanted) {
            case "partuuid" -> {
                if (partuuid == null) {
                    throw new ModuleException("device " + devPath + " has no PARTUUID (fstabSource: partuuid); is it a GPT partition?");
                }
                yield "PARTUUID=" + partuuid;
            }
            case "uuid" -> {
                if (uuid == null) {
                    throw new ModuleException("device " + devPath + " has no filesystem UUID (fstabSource: uuid)");
                }
                yield "UUID=" + uuid;
            }
            default -> device;
        };
    }

    /** The fstab text with exactly one line for the entry's mountpoint: the first old one replaced, others dropped. */
    static String withLine(String fstab, FstabEntry wanted) {
        List<String> out = new ArrayList<>();
        boolean placed = false;
        for (String line : lines(fstab)) {
            FstabEntry e = FstabEntry.parse(line);
            if (e == null || !e.mountpoint().equals(wanted.mountpoint())) {
                out.add(line);
            } else if (!placed) {
                out.add(sameEntry(e, wanted) ? line : wanted.render());
                placed = true;
            }
        }
        if (!placed) {
            out.add(wanted.render());
        }
        return String.join("\n", out) + "\n";
    }

    static String withoutMountpoint(String fstab, String mountpoint) {
        List<String> out = new ArrayList<>();
        for (String line : lines(fstab)) {
            FstabEntry e = FstabEntry.parse(line);
            if (e == null || !e.mountpoint().equals(mountpoint)) {
                out.add(line);
            }
        }
        return out.isEmpty() ? "" : String.join("\n", out) + "\n";
    }

    private static boolean sameEntry(FstabEntry a, FstabEntry b) {
        return a.source().equals(b.source()) && a.type().equals(b.type()) && a.options().equals(b.options())
                && a.dump().equals(b.dump()) && a.pass().equals(b.pass());
    }

    private static List<String> lines(String text) {
        return text.lines().toList();
    }

    static Set<String> missingVisible(String wanted, String live) {
        Set<String> have = new LinkedHashSet<>(Arrays.asList(live.split(",")));
        Set<String> missing = new LinkedHashSet<>();
        for (String o : wanted.split(",")) {
            String opt = o.equals("defaults") ? "rw" : o;
            if (VISIBLE_OPTIONS.contains(opt) && !have.contains(opt)) {
                missing.add(opt);
            }
        }
        return missing;
    }

    private static String readFstab(Path fstab) {
        try {
            // never through a link: the write would refuse it, so the plan does too, and a diff shows no other file
            byte[] current = LinkTargets.currentContent(fstab);
            return current == null ? "" : new String(current, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModuleException("cannot read " + fstab + ": " + e.getMessage());
        }
    }
}
