package dev.rigger.agent.modules.preallocate;

import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.agent.exec.CommandSpec;
import dev.rigger.agent.modules.ModuleException;
import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.StepContext;
import dev.rigger.agent.modules.StepFailedException;
import dev.rigger.protocol.StepResult;
import java.util.List;

/** Mounts the filesystem again, then forgets the {@link RemountNote}. */
record RemountStep(MountAgain how) implements Step {
    @Override
    public String description() {
        return "mount " + how.path() + " " + how.how();
    }

    @Override
    public List<String> argv() {
        return how.argv();
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailedException {
        try {
            how.requireRealMountPoint();
        } catch (ModuleException e) {
            throw new StepFailedException(e.getMessage(), new StepResult(description(), argv(), 1, "", e.getMessage(), 0));
        }
        CommandOutcome out = CommandRunner.run(CommandSpec.of(argv()), ctx.output(), ctx.deadline());
        StepResult result = new StepResult(description(), argv(), out.exitCode(), out.stdout(), out.stderr(), out.tookMs());
        if (!out.ok()) {
            throw new StepFailedException(String.join(" ", argv()) + " exited with " + out.exitCode() + ": " + out.summary(), result);
        }
        RemountNote.delete(how.path());
        return result;
    }
}
