package dev.rigger.controller.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.controller.agents.AgentGoneException;
import dev.rigger.controller.events.RunEvent;
import dev.rigger.controller.events.RunListener;
import dev.rigger.controller.modules.ControllerModuleContext;
import dev.rigger.controller.modules.ControllerModules;
import dev.rigger.controller.inventory.RunInventory;
import java.nio.file.Path;
import dev.rigger.playbook.Task;
import dev.rigger.playbook.TemplateException;
import dev.rigger.playbook.Templates;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.ProtocolJson;
import dev.rigger.protocol.RunTask;
import dev.rigger.protocol.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs one task on one host: {@code when}, {@code loop}, rendering, the agent round trip,
 * {@code retries}, {@code timeoutSec}, {@code ignoreErrors} and {@code register}. Everything that
 * is the same for every module lives here, once.
 */
final class TaskRunner {
    /** How long to wait for a task when there is no deadline at all (--task-timeout 0). */
    private static final int UNBOUNDED_WAIT_SEC = 7 * 24 * 3600;

    private final Templates templates;
    private final RunListener events;
    private final boolean check;
    private final boolean diff;
    private final ControllerModules controllerModules;
    private final Path stateDir;
    private final RunInventory inventory;
    private final int defaultTimeoutSec;
    private final RunCancel cancel;

    TaskRunner(Templates templates, RunListener events, boolean check, boolean diff,
               ControllerModules controllerModules, Path stateDir, RunInventory inventory, int defaultTimeoutSec,
               RunCancel cancel) {
        this.inventory = inventory;
        this.defaultTimeoutSec = defaultTimeoutSec;
        this.cancel = cancel;
        this.templates = templates;
        this.events = events;
        this.check = check;
        this.diff = diff;
        this.controllerModules = controllerModules;
        this.stateDir = stateDir;
    }

    /** Runs {@code task} on {@code host}; returns the combined result (loops fold into one). */
    ModuleResult run(String play, String taskKey, Task task, HostRun host, Function<Object, Map<String, Object>> context) {
        String name = task.name();
        events.on(new RunEvent.TaskStarted(now(), play, name, taskKey, host.name()));
        Map<String, Object> ctx = context.apply(null);
        ModuleResult result;
        try {
            if (task.when() != null && !templates.test(task.when(), ctx)) {
                result = ModuleResult.skipped(task.module(), "condition was false: " + task.when());
                finish(play, taskKey, task, host, result, null);
            } else if (task.loop() != null && !task.loop().isNull()) {
                result = runLoop(play, taskKey, task, host, ctx, context);
                finish(play, taskKey, task, host, result, null, true);
            } else {
                result = runOnce(task, host, ctx);
                finish(play, taskKey, task, host, result, null);
            }
        } catch (TemplateException e) {
            result = ModuleResult.failed(task.module(), task.pointer() + ": " + e.getMessage());
            finish(play, taskKey, task, host, result, null);
        }
        if (task.register() != null) {
            host.registered.put(task.register(), registered(result));
            host.registeredChanged();
        }
        return result;
    }

    private ModuleResult runLoop(String play, String taskKey, Task task, HostRun host, Map<String, Object> ctx,
                                 Function<Object, Map<String, Object>> context) {
        JsonNode items = task.loop().isTextual() ? templates.render(task.loop(), ctx) : task.loop();
        if (!items.isArray()) {
            ModuleResult bad = ModuleResult.failed(task.module(), task.pointer() + "/loop: expected a list, got " + items);
            return bad;
        }
        List<Object> results = new ArrayList<>();
        boolean changed = false;
        boolean failed = false;
        long took = 0;
        for (JsonNode item : items) {
            if (cancel.cancelled()) {
                return ModuleResult.cancelled(task.module(), "cancelled: " + cancel.reason());
            }
            Object itemValue = Templates.toContextValue(item);
            Map<String, Object> itemCtx = context.apply(itemValue);
            ModuleResult r = runOnce(task, host, itemCtx);
            finish(play, taskKey, task, host, r, itemValue);
            changed |= r.changed();
            failed |= r.failed();
            took += r.durationMs();
            Map<String, Object> reg = registered(r);
            reg.put("item", itemValue);
            results.add(reg);
        }
        Status status = failed ? Status.FAILED : changed ? Status.CHANGED : Status.OK;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("results", results);
        return new ModuleResult(task.module(), status, changed, failed ? "one or more items failed" : null,
                null, data, List.of(), took);
    }

    private ModuleResult runOnce(Task task, HostRun host, Map<String, Object> ctx) {
        ModuleResult result;
        int attempt = 0;
        while (true) {
            result = dispatch(task, host, ctx);
            // a retry cannot help a host that is no longer there, nor a run that was cancelled
            if (!result.failed() || attempt >= task.retries() || host.lost || host.unreachable || cancel.cancelled()) {
                return result;
            }
            attempt++;
            sleep(task.delaySec());
        }
    }

    private ModuleResult dispatch(Task task, HostRun host, Map<String, Object> ctx) {
        long started = System.nanoTime();
        ObjectNode args;
        try {
            args = (ObjectNode) templates.render(task.args() == null ? ProtocolJson.MAPPER.createObjectNode() : task.args(), ctx);
        } catch (TemplateException e) {
            return ModuleResult.failed(task.module(), task.pointer() + "/args: " + e.getMessage());
        }
        if (controllerModules.has(task.module())) {
            ControllerModuleContext context = new ControllerModuleContext(host.name(), host.host.address(), host.session,
                    host.facts(), check, diff, stateDir, line -> events.on(new RunEvent.TaskOutputLine(now(), task.name(),
                    host.name(), RunEvent.TaskOutputLine.PROGRESS, line)), inventory);
            return controllerModules.run(task.module(), args, context);
        }
        if (cancel.cancelled()) {
            return ModuleResult.cancelled(task.module(), "cancelled: " + cancel.reason());
        }
        // a task without a deadline of its own gets the run's default, which the agent enforces like any other
        int timeout = task.timeoutSec() != null ? task.timeoutSec() : defaultTimeoutSec;
        RunTask runTask = RunTask.of(UUID.randomUUID().toString(), host.name(), task.module(), args, check, diff, timeout);
        var future = host.session.run(runTask, o -> events.on(new RunEvent.TaskOutputLine(now(), task.name(),
                host.name(), o.stream().name(), o.line())));
        Runnable release = cancel.onCancel(() -> future.completeExceptionally(new RunCancelledException(cancel.reason())));
        try {
            // the agent enforces timeoutSec itself; the margin covers the round trip of its answer
            ModuleResult r = future.get(timeout > 0 ? timeout + 15L : UNBOUNDED_WAIT_SEC, TimeUnit.SECONDS);
            return r.durationMs() > 0 ? r : r.withDuration((System.nanoTime() - started) / 1_000_000);
        } catch (TimeoutException e) {
            // the agent is told to kill it: nothing keeps running on the host that the controller gave up on
            host.session.abandon(runTask.taskId());
            return ModuleResult.failed(task.module(), "no result from the agent within " + (timeout > 0 ? timeout : UNBOUNDED_WAIT_SEC) + " s");
        } catch (ExecutionException e) {
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            if (e.getCause() instanceof RunCancelledException cancelled) {
                host.session.abandon(runTask.taskId());
                return ModuleResult.cancelled(task.module(), "cancelled: " + cancelled.getMessage()).withDuration(tookMs);
            }
            if (e.getCause() instanceof AgentGoneException gone) {
                // silent, killed, or its session cut: either way nobody knows how far the task got, and the
                // host is lost in it (reported with the task), not merely failed and not unreachable
                host.lose(gone.getMessage());
                return ModuleResult.failed(task.module(), "lost: " + gone.getMessage()).withDuration(tookMs);
            }
            host.unreachable = true;
            return ModuleResult.failed(task.module(), e.getCause().getMessage()).withDuration(tookMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            host.session.abandon(runTask.taskId());
            return ModuleResult.failed(task.module(), "interrupted");
        } finally {
            release.run();
        }
    }

    private void finish(String play, String taskKey, Task task, HostRun host, ModuleResult result, Object item) {
        finish(play, taskKey, task, host, result, item, false);
    }

    private void finish(String play, String taskKey, Task task, HostRun host, ModuleResult result, Object item,
                        boolean loopSummary) {
        String lostWhy = host.takeUnreportedLoss();
        if (lostWhy != null) {
            // before the task's failed result, so that every listener knows the failure is the loss
            events.on(new RunEvent.HostLost(now(), host.name(), task.name(), taskKey, lostWhy));
        }
        boolean ignored = result.failed() && task.ignoreErrors();
        events.on(new RunEvent.TaskFinished(now(), play, task.name(), taskKey, host.name(), result, ignored, item,
                loopSummary));
    }

    /** What {@code register} keeps: the module's data plus the fields Ansible users test in {@code when}. */
    private static Map<String, Object> registered(ModuleResult r) {
        Map<String, Object> reg = new LinkedHashMap<>();
        if (r.data() != null) {
            reg.putAll(r.data());
        }
        reg.put("status", r.status().json());
        reg.put("changed", r.changed());
        reg.put("failed", r.failed());
        reg.put("skipped", r.status() == Status.SKIPPED);
        reg.put("msg", r.msg() == null ? "" : r.msg());
        return reg;
    }

    private static void sleep(double seconds) {
        try {
            Thread.sleep((long) (seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
