package dev.rigger.agent.modules.mount;

import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.agent.exec.CommandSpec;
import dev.rigger.agent.facts.MountFacts;
import dev.rigger.agent.facts.MountInfoEntry;
import dev.rigger.agent.modules.ModuleException;
import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.StepContext;
import dev.rigger.agent.modules.StepFailedException;
import dev.rigger.protocol.StepResult;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * mount, remount or umount on a {@link MountPoint} checked again right before the command (and, for a new
 * mount, its missing directories made without following links). mount(8) resolves the path once more, so a
 * component swapped for a link in between would still be followed: a new mount that the kernel then shows
 * anywhere but at the mount point is unmounted at once and the step fails, naming where it landed.
 */
final class GuardedMountStep implements Step {
    enum Kind { MOUNT, REMOUNT, UNMOUNT }

    private final Kind kind;
    private final String mountpoint;
    private final String majMin;
    private final CommandSpec spec;
    private final String description;

    private GuardedMountStep(Kind kind, String mountpoint, String majMin, List<String> argv) {
        this.kind = kind;
        this.mountpoint = mountpoint;
        this.majMin = majMin;
        this.spec = CommandSpec.of(argv);
        this.description = String.join(" ", argv);
    }

    static GuardedMountStep mount(String type, String options, String device, String majMin, String mountpoint) {
        return new GuardedMountStep(Kind.MOUNT, mountpoint, majMin, List.of("mount", "-t", type, "-o", options, device, mountpoint));
    }

    static GuardedMountStep remount(String options, String mountpoint) {
        return new GuardedMountStep(Kind.REMOUNT, mountpoint, null, List.of("mount", "-o", "remount," + options, mountpoint));
    }

    static GuardedMountStep unmount(String mountpoint) {
        return new GuardedMountStep(Kind.UNMOUNT, mountpoint, null, List.of("umount", mountpoint));
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<String> argv() {
        return spec.argv();
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailedException {
        long start = System.nanoTime();
        Set<String> before = Set.of();
        try {
            if (kind == Kind.MOUNT) {
                MountPoint.create(mountpoint);
                before = mountpointsOf(majMin);
            } else {
                MountPoint.firstMissing(mountpoint);
            }
        } catch (ModuleException | IOException e) {
            throw failed(e.getMessage(), start);
        }
        CommandOutcome out = CommandRunner.run(spec, ctx.output(), ctx.deadline());
        StepResult result = new StepResult(description, spec.argv(), out.exitCode(), out.stdout(), out.stderr(), out.tookMs());
        if (!out.ok()) {
            throw new StepFailedException(description + " exited with " + out.exitCode() + ": " + out.summary(), result);
        }
        if (kind == Kind.MOUNT) {
            Set<String> after = mountpointsOf(majMin);
            if (!after.contains(mountpoint)) {
                after.removeAll(before);
                after.forEach(elsewhere -> CommandRunner.probe("umount", elsewhere));
                throw new StepFailedException("mount point " + FstabFields.escaped(mountpoint) + " changed while it was mounted: the "
                        + "filesystem landed at " + FstabFields.escaped(String.join(", ", after)) + " and was unmounted again", result);
            }
        }
        return result;
    }

    private static Set<String> mountpointsOf(String majMin) {
        return MountFacts.collectInfo().stream().filter(m -> m.majMin().equals(majMin))
                .map(MountInfoEntry::mountpoint).collect(Collectors.toCollection(HashSet::new));
    }

    private StepFailedException failed(String message, long start) {
        long ms = (System.nanoTime() - start) / 1_000_000;
        return new StepFailedException(message, new StepResult(description, spec.argv(), 1, "", message, ms));
    }
}
