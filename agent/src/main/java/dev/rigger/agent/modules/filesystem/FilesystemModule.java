package dev.rigger.agent.modules.filesystem;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.agent.facts.BlkidFacts;
import dev.rigger.agent.facts.BlockDeviceFacts;
import dev.rigger.agent.facts.MountInfoEntry;
import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ArgsException;
import dev.rigger.agent.modules.DeviceHolders;
import dev.rigger.agent.modules.Force;
import dev.rigger.agent.modules.ModuleArgs;
import dev.rigger.agent.modules.ModuleContext;
import dev.rigger.agent.modules.ModuleData;
import dev.rigger.agent.modules.ModuleException;
import dev.rigger.agent.modules.Plan;
import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.step.ExecStep;
import dev.rigger.agent.modules.step.RequireBlockDeviceStep;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code filesystem}: makes a filesystem on a blank device.
 *
 * <p>Arguments: {@code device}, {@code type} (xfs, ext4, ...), {@code force?: false|true|"held"}, {@code opts?: ["-m","crc=1"]}.
 * A device that already holds the wanted type is left alone. Any other signature (a filesystem, a partition
 * table, several that blkid cannot tell apart) is refused unless {@code force}; a device another layer uses
 * (holders; an LVM, MD or LUKS member signature) unless {@code force: "held"}; a mounted device always. Where the device does not
 * exist yet (an earlier task of the run creates it), check mode reports the change and a real run fails.
 * Data: {@code {device, type, uuid}}.
 * <pre>{@code {"module": "filesystem", "args": {"device": "{{ part.path }}", "type": "xfs"}}}</pre>
 */
public final class FilesystemModule implements AgentModule {
    @Override
    public Plan plan(ObjectNode rawArgs, ModuleContext ctx) {
        ModuleArgs args = new ModuleArgs(rawArgs);
        String device = args.requiredString("device");
        String type = args.requiredString("type");
        Force force = Force.from(args);
        List<String> opts = args.stringList("opts", false);
        if (!type.matches("[a-z0-9]+")) {
            throw new ArgsException("args.type: expected a filesystem type like xfs, got \"" + type + "\"");
        }
        String action = "create " + type + " on " + device;
        String majMin = BlockDeviceFacts.liveMajMin(Path.of(device));
        if (majMin == null) {
            List<Step> steps = List.of(new RequireBlockDeviceStep(device), mkfs(type, device, opts, false));
            return Plan.change(action, steps, data(device, type, Plan.KNOWN_AFTER_APPLY))
                    .withDataAfterApply(applied -> data(device, type, BlkidFacts.probe(device).get("UUID")));
        }
        Map<String, String> probe = BlkidFacts.probe(device);
        String fsType = probe.get("TYPE");
        if (type.equals(fsType)) {
            return Plan.noop("device " + device + " already holds a " + type + " filesystem", data(device, type, probe.get("UUID")));
        }
        List<String> mountpoints = ctx.mountInfo().stream().filter(m -> m.majMin().equals(majMin))
                .map(MountInfoEntry::mountpoint).toList();
        // a probe that found nothing is asked again for blkid's verdict: "ambivalent" is not blank
        String unsure = fsType == null && !probe.containsKey("PTTYPE") ? BlkidFacts.inspect(device).unsure() : null;
        String signature = fsType != null ? "a " + fsType + " filesystem"
                : probe.containsKey("PTTYPE") ? "a " + probe.get("PTTYPE") + " partition table"
                : unsure != null ? "signatures blkid cannot tell apart (" + unsure + ")" : null;
        if (!mountpoints.isEmpty()) {
            throw new ModuleException("device " + device + " is mounted at " + String.join(", ", mountpoints)
                    + "; refusing mkfs" + (signature != null ? " (it holds " + signature + ")" : "") + " even with force");
        }
        List<String> held = DeviceHolders.of(device, probe);
        if (!held.isEmpty() && force != Force.HELD) {
            throw new ModuleException(DeviceHolders.refusal("create " + type + " on", device, held));
        }
        if (signature != null && !force.overwrites()) {
            throw new ModuleException("device " + device + " holds " + signature + "; refusing to create " + type
                    + " (force: true to override)");
        }
        boolean overwrite = signature != null || !held.isEmpty();
        return Plan.change(action, List.of(mkfs(type, device, opts, overwrite)), data(device, type, Plan.KNOWN_AFTER_APPLY))
                .withDataAfterApply(applied -> data(device, type, BlkidFacts.probe(device).get("UUID")));
    }

    private static Step mkfs(String type, String device, List<String> opts, boolean overwrite) {
        List<String> argv = new ArrayList<>(List.of("mkfs." + type));
        if (overwrite) {
            // each mkfs spells "overwrite what is there" its own way
            argv.add(type.startsWith("ext") ? "-F" : "-f");
        }
        if (opts != null) {
            argv.addAll(opts);
        }
        argv.add(device);
        return ExecStep.of(argv);
    }

    private static Map<String, Object> data(String device, String type, String uuid) {
        return ModuleData.of("device", device, "type", type, "uuid", uuid);
    }
}
