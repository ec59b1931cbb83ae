package dev.rigger.controller.modules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.protocol.Diff;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.Status;
import dev.rigger.protocol.StepResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The controller-side modules found through {@link ServiceLoader}, and the one runner that applies
 * their plans: timing, check mode and the result's shape live here, once.
 */
public final class ControllerModules {
    private final Map<String, ControllerModuleProvider> providers = new LinkedHashMap<>();

    public ControllerModules() {
        ServiceLoader.load(ControllerModuleProvider.class).forEach(p -> providers.put(p.name(), p));
    }

    public boolean has(String module) {
        return providers.containsKey(module);
    }

    public ModuleResult run(String module, ObjectNode args, ControllerModuleContext context) {
        long started = System.nanoTime();
        ControllerPlan plan;
        try {
            plan = providers.get(module).create().plan(args, context);
        } catch (Exception e) {
            return ModuleResult.failed(module, message(e)).withDuration(millisSince(started));
        }
        if (!context.diff()) {
            plan = new ControllerPlan(plan.steps(), plan.msg(), null, plan.data(), plan.dataAfterApply());
        }
        if (plan.steps().isEmpty()) {
            return new ModuleResult(module, Status.OK, false, plan.msg(), null, plan.data(), List.of(), millisSince(started));
        }
        if (context.check()) {
            List<StepResult> planned = plan.steps().stream()
                    .map(s -> new StepResult("would " + s.describe(), List.of(), 0, null, null, 0)).toList();
            return new ModuleResult(module, Status.CHANGED, true, "would " + plan.msg(), plan.diff(), plan.data(),
                    planned, millisSince(started));
        }
        List<StepResult> applied = new ArrayList<>();
        for (ControllerStep step : plan.steps()) {
            long stepStarted = System.nanoTime();
            try {
                step.apply(context);
                applied.add(new StepResult(step.describe(), List.of(), 0, null, null, millisSince(stepStarted)));
            } catch (Exception e) {
                applied.add(new StepResult(step.describe(), List.of(), 1, null, message(e), millisSince(stepStarted)));
                return new ModuleResult(module, Status.FAILED, !applied.isEmpty() && applied.size() > 1,
                        step.describe() + ": " + message(e), plan.diff(), plan.data(), applied, millisSince(started));
            }
        }
        Map<String, Object> data = plan.data();
        if (plan.dataAfterApply() != null) {
            try {
                data = plan.dataAfterApply().data(context);
            } catch (Exception e) {
                return new ModuleResult(module, Status.FAILED, true, "applied, but cannot read the result: " + message(e),
                        plan.diff(), data, applied, millisSince(started));
            }
        }
        Diff diff = plan.diff();
        return new ModuleResult(module, Status.CHANGED, true, plan.msg(), diff, data, applied, millisSince(started));
    }

    private static String message(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
