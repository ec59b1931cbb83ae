package dev.rigger.agent.modules.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.agent.exec.CommandSpec;
import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ArgsException;
import dev.rigger.agent.modules.ModuleArgs;
import dev.rigger.agent.modules.ModuleContext;
import dev.rigger.agent.modules.ModuleData;
import dev.rigger.agent.modules.Plan;
import dev.rigger.agent.modules.step.ExecStep;
import dev.rigger.protocol.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code command}: runs a command, the escape hatch. Changed whenever it ran; failed on a non-zero exit.
 *
 * <p>Arguments: {@code argv?: ["ls", "-l"]} or {@code cmd?: "shell string"} (run with {@code sh -c}),
 * {@code creates?} (skip when this path exists), {@code removes?} (skip when it does not),
 * {@code chdir?}, {@code env?: {}}, {@code stdin?}. Data: {@code {rc, stdout, stderr}}, also on failure.
 * <pre>{@code {"module": "command", "args": {"argv": ["systemctl", "restart", "docker"]}}}</pre>
 */
public final class CommandModule implements AgentModule {
    @Override
    public Plan plan(ObjectNode rawArgs, ModuleContext ctx) {
        ModuleArgs args = new ModuleArgs(rawArgs);
        List<String> argv = args.stringList("argv", false);
        String cmd = args.string("cmd", null);
        if ((argv == null) == (cmd == null)) {
            throw new ArgsException("args.argv: give exactly one of argv or cmd");
        }
        if (argv != null && argv.isEmpty()) {
            throw new ArgsException("args.argv: must not be empty");
        }
        List<String> command = argv != null ? argv : List.of("sh", "-c", cmd);
        String creates = args.string("creates", null);
        String removes = args.string("removes", null);
        String chdir = args.string("chdir", null);
        Map<String, String> env = args.stringMap("env");
        String stdin = args.string("stdin", null);

        Map<String, Object> skipped = ModuleData.of("rc", null, "stdout", "", "stderr", "");
        if (creates != null && Files.exists(Path.of(creates))) {
            return Plan.noop(creates + " exists", skipped);
        }
        if (removes != null && !Files.exists(Path.of(removes))) {
            return Plan.noop(removes + " does not exist", skipped);
        }
        ExecStep step = new ExecStep(String.join(" ", command), new CommandSpec(command, env, chdir, stdin));
        return Plan.change("run " + String.join(" ", command), List.of(step),
                        ModuleData.of("rc", Plan.KNOWN_AFTER_APPLY, "stdout", Plan.KNOWN_AFTER_APPLY, "stderr", Plan.KNOWN_AFTER_APPLY))
                .withDataAfterApply(CommandModule::outcome);
    }

    private static Map<String, Object> outcome(List<StepResult> applied) {
        StepResult r = applied.get(applied.size() - 1);
        return ModuleData.of("rc", r.exitCode(), "stdout", r.stdout(), "stderr", r.stderr());
    }
}
