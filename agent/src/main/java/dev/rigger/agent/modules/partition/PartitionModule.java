package dev.rigger.agent.modules.partition;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.agent.facts.BlkidFacts;
import dev.rigger.agent.facts.BlockDeviceFacts;
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
import dev.rigger.protocol.facts.BlockDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code partition}: a GPT label and one partition spanning the disk (ECS verifies partition UUIDs).
 *
 * <p>Arguments: {@code device} (the disk, e.g. /dev/xvdf), {@code name?} (GPT partition name),
 * {@code force?: false|true|"held"}. A GPT disk with exactly one partition is left alone. A disk with any other
 * signature (or several that blkid cannot tell apart) or partitions is refused unless {@code force}; one that
 * another layer uses (holders, an LVM, MD or LUKS member signature on it or a partition) unless
 * {@code force: "held"}; a mounted disk always.
 * The partition is {@code <disk>1}, or {@code <disk>p1} when the disk's name ends in a digit (nvme0n1p1).
 * The kernel is made to know it, and its /dev node is created when no udev does (also on a later run).
 * Data: {@code {device, path, number: 1, partuuid}}.
 * <pre>{@code {"module": "partition", "args": {"device": "{{ data.path }}", "name": "xfs"}, "register": "part"}}</pre>
 */
public final class PartitionModule implements AgentModule {
    static final int NUMBER = 1;

    @Override
    public Plan plan(ObjectNode rawArgs, ModuleContext ctx) {
        ModuleArgs args = new ModuleArgs(rawArgs);
        String device = args.requiredString("device");
        String name = args.string("name", null);
        Force force = Force.from(args);
        if (name != null && !name.matches("[A-Za-z0-9._-]{1,36}")) {
            throw new ArgsException("args.name: expected up to 36 letters, digits, '.', '_' or '-', got \"" + name + "\"");
        }
        BlockDevice disk = ctx.blockDevice(device).orElseThrow(() -> new ModuleException(
                "device " + device + " not found; disks seen: " + ctx.describeDisks()));
        if ("part".equals(disk.type())) {
            throw new ModuleException("device " + device + " is a partition; give the whole disk");
        }
        String partPath = BlockDeviceFacts.partitionPath(disk.path(), NUMBER);
        PartitionTable table = PartitionTable.read(disk.path());

        if ("gpt".equals(table.label()) && table.partitions().size() == 1 && table.partitions().get(0).number() == NUMBER) {
            // already done: only make sure the kernel and /dev know the partition (lost after a restart)
            String partuuid = table.partitions().get(0).uuid();
            List<Step> steps = registrationSteps(disk.path(), partPath, false);
            Map<String, Object> data = data(disk.path(), partPath, partuuid);
            return steps.isEmpty()
                    ? Plan.noop(disk.path() + " already has a GPT label with one partition " + partPath, data)
                    : Plan.change("register partition " + partPath + " with the kernel and /dev", steps, data);
        }

        // facts may be a few seconds old and blkid's uncertainty is not in them: look again before destroying
        BlkidFacts.Inspection inspection = BlkidFacts.inspect(disk.path());
        String found = findings(disk, table, inspection);
        if (!disk.mountpoints().isEmpty() || disk.partitions().stream().anyMatch(p -> !p.mountpoints().isEmpty())) {
            throw new ModuleException("refusing to partition " + disk.path() + ": " + found + " (mounted; unmount it first)");
        }
        List<String> held = held(disk, inspection);
        if (!held.isEmpty() && force != Force.HELD) {
            throw new ModuleException(DeviceHolders.refusal("partition", disk.path(), held));
        }
        List<Step> steps = new ArrayList<>();
        if (!found.isEmpty()) {
            if (!force.overwrites()) {
                throw new ModuleException("refusing to partition " + disk.path() + ": " + found + " (force: true to override)");
            }
            for (BlockDevice p : disk.partitions()) {
                if (BlockDeviceFacts.liveMajMin(Path.of(p.path())) != null) {
                    steps.add(ExecStep.of("wipefs", "-a", p.path()));
                }
            }
            steps.add(ExecStep.of("wipefs", "-a", disk.path()));
        }
        steps.add(ExecStep.of(labelCommand(disk.path(), name, parted())));
        steps.addAll(registrationSteps(disk.path(), partPath, true));
        return Plan.change("create a GPT label and partition " + partPath + " on " + disk.path(), steps,
                        data(disk.path(), partPath, Plan.KNOWN_AFTER_APPLY))
                .withDataAfterApply(applied -> data(disk.path(), partPath, readPartuuid(disk.path())));
    }

    /**
     * The command that writes the label and the partition: {@code parted}, as ECS's own disk steps do,
     * where the host has it; else {@code sgdisk}, which sleeps a second after every write (gdisk's sync),
     * a second of every cold run. Both give a 1 MiB-aligned partition of type "Linux filesystem". parted
     * needs a GPT name, so an unnamed partition is called "primary", as Ansible's parted module calls it.
     */
    public static List<String> labelCommand(String disk, String name, String parted) {
        if (parted != null) {
            // "--": a name may begin with '-', which parted would take for an option
            return List.of(parted, "-s", "-a", "optimal", "--", disk, "mklabel", "gpt",
                    "mkpart", name != null ? name : "primary", "0%", "100%");
        }
        List<String> sgdisk = new ArrayList<>(List.of("sgdisk", "-o", "-n", NUMBER + ":0:0", "-t", NUMBER + ":8300"));
        if (name != null) {
            sgdisk.addAll(List.of("-c", NUMBER + ":" + name));
        }
        sgdisk.add(disk);
        return sgdisk;
    }

    /** Where parted is: on PATH, or in the sbin directories a login without them on PATH still has; null if nowhere. */
    private static String parted() {
        String path = System.getenv("PATH");
        for (String dir : ((path == null ? "" : path) + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "parted"))) {
                return Path.of(dir, "parted").toString();
            }
        }
        return null;
    }

    private static List<Step> registrationSteps(String disk, String partPath, boolean always) {
        List<Step> steps = new ArrayList<>();
        if (always || !EnsurePartitionKnownStep.isKnown(disk, NUMBER)) {
            steps.add(new EnsurePartitionKnownStep(disk, NUMBER));
        }
        String kernel = EnsurePartitionNodeStep.kernelMajMin(disk, NUMBER);
        if (always || kernel == null || !kernel.equals(BlockDeviceFacts.majMin(Path.of(partPath)))) {
            steps.add(new EnsurePartitionNodeStep(disk, NUMBER, partPath));
        }
        return steps;
    }

    /** What holds the disk or one of its partitions up (see {@link DeviceHolders}); empty when nothing does. */
    private static List<String> held(BlockDevice disk, BlkidFacts.Inspection inspection) {
        List<String> held = new ArrayList<>(DeviceHolders.of(disk.path(), inspection.values()));
        for (BlockDevice p : disk.partitions()) {
            held.addAll(DeviceHolders.of(p.path(), BlkidFacts.probe(p.path())));
        }
        return held;
    }

    /** What is on the disk that partitioning would destroy; empty when it is blank. */
    private static String findings(BlockDevice disk, PartitionTable table, BlkidFacts.Inspection inspection) {
        List<String> found = new ArrayList<>();
        String fsType = inspection.values().getOrDefault("TYPE", disk.fsType());
        if (fsType != null) {
            found.add("it holds a " + fsType + " signature");
        }
        if (inspection.unsure() != null) {
            found.add(inspection.unsure());
        }
        if (table.label() != null || disk.ptType() != null) {
            found.add("it has a " + (table.label() != null ? table.label() : disk.ptType()) + " partition table with "
                    + table.partitions().size() + " partition(s)");
        }
        if (!disk.partitions().isEmpty()) {
            found.add("partitions " + String.join(", ", disk.partitions().stream().map(p -> p.name()
                    + (p.fsType() != null ? " (" + p.fsType() + ")" : "")).toList()));
        }
        List<String> mounts = new ArrayList<>(disk.mountpoints());
        disk.partitions().forEach(p -> mounts.addAll(p.mountpoints()));
        if (!mounts.isEmpty()) {
            found.add("mounted at " + String.join(", ", mounts));
        }
        if (!disk.holders().isEmpty()) {
            found.add("held by " + String.join(", ", disk.holders()));
        }
        return String.join("; ", found);
    }

    private static String readPartuuid(String disk) {
        PartitionTable t = PartitionTable.read(disk);
        if (t.partitions().isEmpty() || t.partitions().get(0).uuid() == null) {
            throw new ModuleException("no partition UUID readable on " + disk + " after partitioning");
        }
        return t.partitions().get(0).uuid();
    }

    private static Map<String, Object> data(String disk, String partPath, String partuuid) {
        return ModuleData.of("device", disk, "path", partPath, "number", NUMBER, "partuuid", partuuid);
    }
}
