package dev.rigger.agent.modules.preallocate;

import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.exec.CommandRunner;
import dev.rigger.agent.exec.CommandSpec;
import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.StepContext;
import dev.rigger.agent.modules.StepFailedException;
import dev.rigger.protocol.StepResult;
import java.util.List;

/**
 * {@code xfs_repair -n}: the filesystem must be clean after xfs_db touched its inodes. A dirty result leaves
 * it unmounted on purpose, so nothing writes to a filesystem that may be damaged.
 */
record RepairCheckStep(String device, String path) implements Step {
    private static final int QUOTED_LINES = 12;

    @Override
    public String description() {
        return "xfs_repair -n " + device;
    }

    @Override
    public List<String> argv() {
        return List.of("xfs_repair", "-n", device);
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailedException {
        CommandOutcome out = CommandRunner.run(CommandSpec.of(argv()), ctx.output(), ctx.deadline());
        StepResult result = new StepResult(description(), argv(), out.exitCode(), out.stdout(), out.stderr(), out.tookMs());
        if (!out.ok()) {
            throw new StepFailedException("xfs_repair -n " + device + " exited with " + out.exitCode()
                    + "; " + path + " is left unmounted. It reported: " + findings(out.stdout() + "\n" + out.stderr()), result);
        }
        return result;
    }

    /** The lines that say what is wrong, without the phase banners that every run prints. */
    static String findings(String text) {
        List<String> lines = text.lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("Phase ") && !l.startsWith("- ")
                        && !l.startsWith("No modify flag set"))
                .toList();
        if (lines.isEmpty()) {
            return "(nothing beyond its phases)";
        }
        List<String> shown = lines.subList(0, Math.min(QUOTED_LINES, lines.size()));
        return "\"" + String.join(" | ", shown) + (lines.size() > shown.size() ? " | ..." : "") + "\"";
    }
}
