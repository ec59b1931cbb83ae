package dev.rigger.controller.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.controller.agents.AgentGoneException;
import dev.rigger.controller.agents.FactsGate;
import dev.rigger.controller.agents.FactsRefusedException;
import dev.rigger.controller.events.RunEvent;
import dev.rigger.controller.events.RunListener;
import dev.rigger.controller.modules.ControllerModuleContext;
import dev.rigger.controller.modules.ControllerModules;
import dev.rigger.controller.inventory.RunInventory;
import dev.rigger.controller.security.RunSecrets;
import java.nio.file.Path;
import dev.rigger.playbook.Task;
import dev.rigger.playbook.TemplateException;
import dev.rigger.playbook.Templates;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.ProtocolJson;
import dev.rigger.protocol.RunTask;
import dev.rigger.protocol.Status;
import dev.rigger.protocol.facts.FactShapes;
import dev.rigger.protocol.facts.HostFacts;
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
    /** What every output shows of a {@code noLog} task instead of its message, output, diff and data. */
    static final String HIDDEN = "(output hidden: noLog)";
    private static final String FACTS_MODULE = "facts";

    private final Templates templates;
    private final RunListener events;
    private final boolean check;
    private final boolean diff;
    private final ControllerModules controllerModules;
    private final Path stateDir;
    private final RunInventory inventory;
    private final RunHostRegistry hosts;
    private final RunSecrets secrets;
    private final int defaultTimeoutSec;
    private final RunCancel cancel;

    TaskRunner(Templates templates, RunListener events, boolean check, boolean diff,
               ControllerModules controllerModules, Path stateDir, RunHostRegistry hosts, RunSecrets secrets,
               int defaultTimeoutSec, RunCancel cancel) {
        this.inventory = hosts;
        this.hosts = hosts;
        this.secrets = secrets;
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
    ModuleResult run(String play, String taskKey, Task task, HostRunState host, Function<Object, Map<String, Object>> context) {
        String name = task.name();
        events.on(new RunEvent.TaskStarted(now(), play, name, taskKey, host.name()));
        Map<String, Object> ctx = context.apply(null);
        learnSecrets(ctx);
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
            result = ModuleResult.failed(task.module(), task.pointer() + ": " + e.getMessage() + withoutFacts(e));
            finish(play, taskKey, task, host, result, null);
        }
        if (task.register() != null) {
            host.register(task.register(), registered(result));
        }
        return result;
    }

    private ModuleResult runLoop(String play, String taskKey, Task task, HostRunState host, Map<String, Object> ctx,
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

    private ModuleResult runOnce(Task task, HostRunState host, Map<String, Object> ctx) {
        ModuleResult result;
        int attempt = 0;
        while (true) {
            result = dispatch(task, host, ctx);
            // a retry cannot help a host that is no longer there, nor a run that was cancelled
            if (!result.failed() || attempt >= task.retries() || host.lost() || host.unreachable() || cancel.cancelled()) {
                return result;
            }
            attempt++;
            sleep(task.delaySec());
        }
    }

    private ModuleResult dispatch(Task task, HostRunState host, Map<String, Object> ctx) {
        long started = System.nanoTime();
        ObjectNode args;
        try {
            args = (ObjectNode) templates.render(task.args() == null ? ProtocolJson.MAPPER.createObjectNode() : task.args(), ctx);
        } catch (TemplateException e) {
            return ModuleResult.failed(task.module(), task.pointer() + "/args: " + e.getMessage() + withoutFacts(e));
        }
        if (controllerModules.has(task.module())) {
            ControllerModuleContext context = new ControllerModuleContext(host.name(), host.host.address(), host.session().access(),
                    host.facts(), check, diff, stateDir, line -> output(task, host, RunEvent.TaskOutputLine.PROGRESS, line),
                    inventory);
            return controllerModules.run(task.module(), args, context);
        }
        if (cancel.cancelled()) {
            return ModuleResult.cancelled(task.module(), "cancelled: " + cancel.reason());
        }
        // a task without a deadline of its own gets the run's default, which the agent enforces like any other
        int timeout = task.timeoutSec() != null ? task.timeoutSec() : defaultTimeoutSec;
        RunTask runTask = RunTask.of(UUID.randomUUID().toString(), host.name(), task.module(), args, check, diff, timeout);
        var future = host.session().run(runTask, o -> output(task, host, o.stream().name(), o.line()));
        Runnable release = cancel.onCancel(() -> future.completeExceptionally(new RunCancelledException(cancel.reason())));
        try {
            // the agent enforces timeoutSec itself; the margin covers the round trip of its answer
            ModuleResult r = future.get(timeout > 0 ? timeout + 15L : UNBOUNDED_WAIT_SEC, TimeUnit.SECONDS);
            r = FACTS_MODULE.equals(task.module()) ? checkFacts(host, r) : r;
            return r.durationMs() > 0 ? r : r.withDuration((System.nanoTime() - started) / 1_000_000);
        } catch (TimeoutException e) {
            // the agent is told to kill it: nothing keeps running on the host that the controller gave up on
            host.session().abandon(runTask.taskId());
            return ModuleResult.failed(task.module(), "no result from the agent within " + (timeout > 0 ? timeout : UNBOUNDED_WAIT_SEC) + " s");
        } catch (ExecutionException e) {
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            if (e.getCause() instanceof RunCancelledException cancelled) {
                host.session().abandon(runTask.taskId());
                return ModuleResult.cancelled(task.module(), "cancelled: " + cancelled.getMessage()).withDuration(tookMs);
            }
            if (e.getCause() instanceof AgentGoneException gone) {
                // silent, killed, or its session cut: either way nobody knows how far the task got, and the
                // host is lost in it (reported with the task), not merely failed and not unreachable
                host.lose(gone.getMessage());
                return ModuleResult.failed(task.module(), "lost: " + gone.getMessage()).withDuration(tookMs);
            }
            host.markUnreachable();
            return ModuleResult.failed(task.module(), e.getCause().getMessage()).withDuration(tookMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            host.session().abandon(runTask.taskId());
            return ModuleResult.failed(task.module(), "interrupted");
        } finally {
            release.run();
        }
    }

    /**
     * A {@code facts} task's answer is checked as the hello's facts are, since {@code register} hands it to
     * every host's templates through {@code hostvars}; refused, the task fails and nothing is registered.
     */
    private static ModuleResult checkFacts(HostRunState host, ModuleResult r) {
        if (r.failed() || r.data() == null) {
            return r;
        }
        try {
            FactsGate.admit(host.name(), ProtocolJson.MAPPER.convertValue(r.data(), HostFacts.class));
            return r;
        } catch (FactsRefusedException e) {
            return ModuleResult.failed(r.module(), e.getMessage());
        } catch (IllegalArgumentException e) {
            return ModuleResult.failed(r.module(), host.name() + ": facts refused: the answer is not facts: "
                    + FactShapes.quote(e.getMessage()));
        }
    }

    /**
     * A template that read another host's facts fails with "no attribute 'defaultIpv4'" when that host has
     * none; this names the hosts without facts and why, so the message points at the host to look at.
     */
    private String withoutFacts(TemplateException e) {
        if (e.getMessage() == null || !e.getMessage().contains("no attribute")) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (HostRunState h : hosts.all().values()) {
            String why = h.noFactsWhy();
            if (why != null) {
                b.append(b.length() == 0 ? " (" : "; ").append(h.name()).append(" has no facts: ").append(why);
            }
        }
        return b.length() == 0 ? "" : b.append(')').toString();
    }

    private void finish(String play, String taskKey, Task task, HostRunState host, ModuleResult result, Object item) {
        finish(play, taskKey, task, host, result, item, false);
    }

    private void finish(String play, String taskKey, Task task, HostRunState host, ModuleResult result, Object item,
                        boolean loopSummary) {
        String lostWhy = host.takeUnreportedLoss();
        if (lostWhy != null) {
            // before the task's failed result, so that every listener knows the failure is the loss
            events.on(new RunEvent.HostLost(now(), host.name(), task.name(), taskKey, lostWhy));
        }
        boolean ignored = result.failed() && task.ignoreErrors();
        if (task.register() != null && secrets.isSecretName(task.register())) {
            // registered under a secret name: its data is masked from the moment it exists
            secrets.addValue(result.data());
        }
        if (task.noLog()) {
            result = hidden(result, loopSummary);
            item = item == null ? null : HIDDEN;
        }
        events.on(new RunEvent.TaskFinished(now(), play, task.name(), taskKey, host.name(), result, ignored, item,
                loopSummary));
    }

    /** A line of a task's output; a {@code noLog} task's lines are not reported at all. */
    private void output(Task task, HostRunState host, String stream, String line) {
        if (!task.noLog()) {
            events.on(new RunEvent.TaskOutputLine(now(), task.name(), host.name(), stream, line));
        }
    }

    /** What outputs see of a {@code noLog} task's result: its status, whether it changed, how long it took. */
    private static ModuleResult hidden(ModuleResult r, boolean loopSummary) {
        // a loop's summary keeps an (empty) results list: its items were reported, hidden, one by one
        Map<String, Object> data = loopSummary ? Map.of("results", List.of()) : Map.of();
        return new ModuleResult(r.module(), r.status(), r.changed(), HIDDEN, null, data, List.of(), r.durationMs());
    }

    /**
     * A secret-named var that is a template renders to its value only here, per host and task; rendering
     * it now (a var that cannot render yet is left for a later task) lets the mask know the value before
     * anything this task reports could show it.
     */
    private void learnSecrets(Map<String, Object> ctx) {
        for (String name : secrets.templatedNames()) {
            if (ctx.containsKey(name)) {
                try {
                    secrets.addValue(ctx.get(name));
                } catch (TemplateException e) {
                    // refers to a result that does not exist yet; the task that reads it fails with its own message
                }
            }
        }
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
