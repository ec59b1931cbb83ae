package dev.rigger.agent.modules.partition;

import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.agent.exec.CommandSpec;
import dev.rigger.agent.facts.BlockDeviceFacts;
import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.StepContext;
import dev.rigger.agent.modules.StepFailedException;
import dev.rigger.protocol.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes sure the partition's /dev node exists with the kernel's major:minor. udev does this on a normal
 * host; a host without udev (a container) gets it from {@code /sys/dev/block/<disk>/<child>/dev} and mknod.
 */
record EnsurePartitionNodeStep(String disk, int number, String partPath) implements Step {
    @Override
    public String description() {
        return "mknod " + partPath + " b <major:minor of partition " + number + " of " + disk + ">";
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailedException {
        String wanted = kernelMajMin(disk, number);
        if (wanted == null) {
            throw new StepFailedException("the kernel knows no partition " + number + " of " + disk, null);
        }
        String present = BlockDeviceFacts.majMin(Path.of(partPath));
        if (wanted.equals(present)) {
            return new StepResult(description(), List.of(), 0, partPath + " is " + wanted, "", 0);
        }
        try {
            // a stale node (another device's numbers, e.g. after a restart) is replaced, not trusted
            Files.deleteIfExists(Path.of(partPath));
        } catch (IOException e) {
            throw new StepFailedException("cannot remove stale " + partPath + ": " + e.getMessage(), null);
        }
        String[] mm = wanted.split(":");
        List<String> argv = List.of("mknod", "-m", "0660", partPath, "b", mm[0], mm[1]);
        CommandOutcome out = CommandRunner.run(CommandSpec.of(argv), ctx.output(), ctx.deadline());
        StepResult result = new StepResult("mknod " + partPath + " b " + mm[0] + " " + mm[1], argv,
                out.exitCode(), out.stdout(), out.stderr(), out.tookMs());
        if (!out.ok()) {
            throw new StepFailedException("mknod " + partPath + " failed: " + out.summary(), result);
        }
        return result;
    }

    /** major:minor the kernel gave the partition, or null when it knows no such partition. */
    static String kernelMajMin(String disk, int number) {
        String majMin = BlockDeviceFacts.liveMajMin(Path.of(disk));
        Path sys = majMin == null ? null : BlockDeviceFacts.sysDir(majMin);
        Path part = sys == null ? null : BlockDeviceFacts.kernelPartitions(sys).get(number);
        if (part == null) {
            return null;
        }
        try {
            return Files.readString(part.resolve("dev")).strip();
        } catch (IOException e) {
            return null;
        }
    }
}
