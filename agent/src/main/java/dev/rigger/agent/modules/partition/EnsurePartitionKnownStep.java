package dev.rigger.agent.modules.partition;

import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.agent.exec.CommandSpec;
import dev.rigger.agent.facts.BlockDeviceFacts;
import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.StepContext;
import dev.rigger.agent.modules.StepFailedException;
import dev.rigger.protocol.StepResult;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes the kernel register a partition that is in the table. sgdisk's re-read (BLKRRPART) does not do
 * it on every kernel; {@code partx -a} adds it through BLKPG, as parted does.
 */
record EnsurePartitionKnownStep(String disk, int number) implements Step {
    @Override
    public String description() {
        return "partx -a --nr " + number + " " + disk;
    }

    @Override
    public List<String> argv() {
        return List.of("partx", "-a", "--nr", Integer.toString(number), disk);
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailedException {
        if (isKnown(disk, number)) {
            return new StepResult(description(), argv(), 0, "kernel already knows partition " + number, "", 0);
        }
        CommandOutcome out = CommandRunner.run(CommandSpec.of(argv()), ctx.output(), ctx.deadline());
        StepResult result = new StepResult(description(), argv(), out.exitCode(), out.stdout(), out.stderr(), out.tookMs());
        if (!isKnown(disk, number)) {
            throw new StepFailedException("the kernel did not register partition " + number + " of " + disk
                    + " (partx: " + out.summary() + ")", result);
        }
        return result;
    }

    static boolean isKnown(String disk, int number) {
        String majMin = BlockDeviceFacts.liveMajMin(Path.of(disk));
        Path sys = majMin == null ? null : BlockDeviceFacts.sysDir(majMin);
        return sys != null && BlockDeviceFacts.kernelPartitions(sys).containsKey(number);
    }
}
