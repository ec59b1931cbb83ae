package dev.rigger.agent.modules.step;

import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.agent.exec.CommandSpec;
import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.StepContext;
import dev.rigger.agent.modules.StepFailedException;
import dev.rigger.protocol.StepResult;
import java.util.List;

/** Runs a command; a non-zero exit fails the step with the command's last line of output. */
public record ExecStep(String description, CommandSpec spec) implements Step {
    public static ExecStep of(String... argv) {
        return new ExecStep(String.join(" ", argv), CommandSpec.of(argv));
    }

    public static ExecStep of(List<String> argv) {
        return new ExecStep(String.join(" ", argv), CommandSpec.of(argv));
    }

    @Override
    public List<String> argv() {
        return spec.argv();
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailedException {
        CommandOutcome out = CommandRunner.run(spec, ctx.output(), ctx.deadline());
        StepResult result = new StepResult(description, spec.argv(), out.exitCode(), out.stdout(), out.stderr(), out.tookMs());
        if (!out.ok()) {
            throw new StepFailedException(description + " exited with " + out.exitCode() + ": " + out.summary(), result);
        }
        return result;
    }
}
