package dev.rigger.agent.modules.preallocate;

import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.agent.exec.CommandSpec;
import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.StepContext;
import dev.rigger.agent.modules.StepFailedException;
import dev.rigger.protocol.StepResult;
import java.io.IOException;
import java.util.List;

/** Unmounts the filesystem for xfs_db, first leaving a {@link RemountNote} so that a killed run can mount it again. */
record UnmountStep(String path, RemountNote note) implements Step {
    @Override
    public String description() {
        return "umount " + path;
    }

    @Override
    public List<String> argv() {
        return List.of("umount", path);
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailedException {
        try {
            note.write(path);
        } catch (IOException e) {
            throw new StepFailedException("cannot write " + RemountNote.fileFor(path) + " before unmounting " + path
                    + ": " + e.getMessage(), null);
        }
        CommandOutcome out = CommandRunner.run(CommandSpec.of(argv()), ctx.output(), ctx.deadline());
        StepResult result = new StepResult(description(), argv(), out.exitCode(), out.stdout(), out.stderr(), out.tookMs());
        if (!out.ok()) {
            RemountNote.delete(path);
            throw new StepFailedException("umount " + path + " exited with " + out.exitCode() + ": " + out.summary()
                    + " (xfs_db needs it unmounted; nothing was converted)", result);
        }
        return result;
    }
}
