package dev.rigger.agent.modules.service;

import static dev.rigger.agent.testing.Modules.args;

import dev.rigger.agent.exec.OutputSink;
import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ModuleContext;
import dev.rigger.agent.modules.ModuleException;
import dev.rigger.agent.modules.Plan;
import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.StepContext;
import dev.rigger.agent.modules.StepFailedException;
import dev.rigger.protocol.Status;
import dev.rigger.protocol.StepResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link ServiceModule} with a given init system the way {@code ModuleRunner} runs modules (plan;
 * apply unless checking), since the runner only knows the modules it finds, which detect the real host.
 */
final class ServiceRuns {
    record Outcome(Status status, String msg, Map<String, Object> data) {
    }

    private final AgentModule module;

    ServiceRuns(InitSystem init) {
        this.module = new ServiceModule(init);
    }

    Outcome apply(String json) {
        return run(json, false);
    }

    Outcome check(String json) {
        return run(json, true);
    }

    private Outcome run(String json, boolean check) {
        Plan plan;
        try {
            plan = module.plan(args(json), new ModuleContext());
        } catch (ModuleException e) {
            return new Outcome(Status.FAILED, e.getMessage(), Map.of());
        }
        if (plan.isNoop()) {
            return new Outcome(Status.OK, plan.msg(), plan.data());
        }
        if (check) {
            return new Outcome(Status.CHANGED, "would " + plan.msg(), plan.data());
        }
        List<StepResult> done = new ArrayList<>();
        for (Step step : plan.steps()) {
            try {
                done.add(step.apply(new StepContext(OutputSink.DISCARD, null)));
            } catch (StepFailedException e) {
                return new Outcome(Status.FAILED, e.getMessage(), plan.data());
            }
        }
        try {
            return new Outcome(Status.CHANGED, plan.msg(), plan.dataAfterApply() == null ? plan.data() : plan.dataAfterApply().data(done));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
