package dev.rigger.agent.modules.preallocate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.agent.modules.ModuleContext;
import dev.rigger.agent.modules.ModuleException;
import dev.rigger.agent.modules.Plan;
import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.StepContext;
import dev.rigger.agent.modules.StepFailedException;
import dev.rigger.protocol.StepResult;
import java.util.Map;

/**
 * After the path was mounted again, plans the bins as a fresh run would (they can only be counted while
 * mounted) and applies that plan.
 */
final class ResumeStep implements Step {
    private final ObjectNode args;
    private final String path;
    private volatile Map<String, Object> data;

    ResumeStep(ObjectNode args, String path) {
        this.args = args;
        this.path = path;
    }

    @Override
    public String description() {
        return "plan and apply the bins of " + path + " once it is mounted";
    }

    /** The data of the plan this step applied, or null before it ran. */
    Map<String, Object> data() {
        return data;
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailedException {
        long start = System.nanoTime();
        Plan plan;
        try {
            plan = new PreallocateModule().plan(args, new ModuleContext());
        } catch (ModuleException e) {
            throw new StepFailedException(e.getMessage(), null);
        }
        if (plan.steps().stream().anyMatch(s -> s instanceof ResumeStep)) {
            throw new StepFailedException(path + " is still not mounted after mounting it", null);
        }
        StringBuilder done = new StringBuilder(plan.msg()).append('\n');
        for (Step step : plan.steps()) {
            step.apply(ctx);
            done.append(step.description()).append('\n');
        }
        data = plan.data();
        return new StepResult(description(), java.util.List.of(), 0, done.toString(), "", (System.nanoTime() - start) / 1_000_000);
    }
}
