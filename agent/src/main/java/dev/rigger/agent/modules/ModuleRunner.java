package dev.rigger.agent.modules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.agent.exec.CommandTimeoutException;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.Status;
import dev.rigger.protocol.StepResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a module: plan, then apply the plan's steps in order unless in check mode. Check mode is
 * therefore "plan, don't apply" by construction. Timing, the time limit, failed steps and the shape of
 * the result live here once, not in each module.
 */
public final class ModuleRunner {
    private final ModuleRegistry registry;

    public ModuleRunner(ModuleRegistry registry) {
        this.registry = registry;
    }

    public ModuleRunner() {
        this(ModuleRegistry.load());
    }

    public ModuleRegistry registry() {
        return registry;
    }

    public ModuleResult run(String moduleName, ObjectNode args, TaskOptions options) {
        long startNanos = System.nanoTime();
        ModuleResult result = runUntimed(moduleName, args, options, options.deadlineFrom(Instant.now()));
        return result.withDuration((System.nanoTime() - startNanos) / 1_000_000);
    }

    private ModuleResult runUntimed(String name, ObjectNode args, TaskOptions options, Instant deadline) {
        Optional<AgentModule> module = registry.create(name);
        if (module.isEmpty()) {
            return ModuleResult.failed(name, "unknown module \"" + name + "\"; this agent knows " + registry.names());
        }
        Plan plan;
        try {
            plan = module.get().plan(args, new ModuleContext());
        } catch (ModuleException e) {
            return ModuleResult.failed(name, e.getMessage());
        } catch (CommandTimeoutException e) {
            return ModuleResult.failed(name, timedOut(options, e));
        } catch (RuntimeException e) {
            return ModuleResult.failed(name, name + ": planning failed: " + e);
        }
        var diff = options.diff() ? plan.diff() : null;
        if (plan.isNoop()) {
            return new ModuleResult(name, Status.OK, false, plan.msg(), diff, plan.data(), List.of(), 0);
        }
        if (options.check()) {
            List<StepResult> planned = plan.steps().stream()
                    .map(s -> new StepResult(s.description(), s.argv(), -1, null, null, 0)).toList();
            return new ModuleResult(name, Status.CHANGED, true, "would " + plan.msg(), diff, plan.data(), planned, 0);
        }
        return apply(name, plan, options, deadline, diff);
    }

    private ModuleResult apply(String name, Plan plan, TaskOptions options, Instant deadline, dev.rigger.protocol.Diff diff) {
        StepContext ctx = new StepContext(options.output(), deadline);
        List<StepResult> done = new ArrayList<>();
        for (Step step : plan.steps()) {
            try {
                if (deadline != null && Instant.now().isAfter(deadline)) {
                    throw new CommandTimeoutException("before " + step.description());
                }
                dev.rigger.agent.facts.BlkidFacts.forgetAll();
                try {
                    done.add(step.apply(ctx));
                } finally {
                    dev.rigger.agent.facts.BlkidFacts.forgetAll();
                }
            } catch (StepFailedException e) {
                boolean changedBefore = !done.isEmpty();
                if (e.result() != null) {
                    done.add(e.result());
                }
                return new ModuleResult(name, Status.FAILED, changedBefore, e.getMessage(), diff,
                        dataAfterFailure(plan, done), done, 0);
            } catch (CommandTimeoutException e) {
                return new ModuleResult(name, Status.FAILED, !done.isEmpty(), timedOut(options, e), diff,
                        plan.data(), done, 0);
            } catch (RuntimeException e) {
                return new ModuleResult(name, Status.FAILED, !done.isEmpty(),
                        step.description() + " failed: " + e, diff, plan.data(), done, 0);
            }
        }
        Map<String, Object> data = plan.data();
        if (plan.dataAfterApply() != null) {
            try {
                data = plan.dataAfterApply().data(done);
            } catch (Exception e) {
                return new ModuleResult(name, Status.FAILED, true,
                        "applied, but could not read the result: " + e.getMessage(), diff, plan.data(), done, 0);
            }
        }
        return new ModuleResult(name, Status.CHANGED, true, plan.msg(), diff, data, done, 0);
    }

    private static Map<String, Object> dataAfterFailure(Plan plan, List<StepResult> done) {
        if (plan.dataAfterApply() == null) {
            return plan.data();
        }
        try {
            return plan.dataAfterApply().data(done);
        } catch (Exception e) {
            return plan.data();
        }
    }

    private static String timedOut(TaskOptions options, CommandTimeoutException e) {
        return "timed out after " + options.timeoutSec() + " s (timeoutSec): " + e.getMessage();
    }
}
