package dev.rigger.controller.run;

import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.RunTask;
import dev.rigger.protocol.TaskOutput;
import dev.rigger.protocol.facts.HostFacts;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** {@code localhost}: the controller itself. No SSH and no agent, so only controller-side modules run on it. */
final class LocalHostSession implements HostSession {

    @Override
    public String host() {
        return RunHostRegistry.LOCALHOST;
    }

    @Override
    public HostFacts facts() {
        return null;
    }

    @Override
    public CompletableFuture<ModuleResult> run(RunTask task, Consumer<TaskOutput> output) {
        return CompletableFuture.completedFuture(ModuleResult.failed(task.module(), "module " + task.module()
                + " runs on a host's agent, and localhost (the controller) has none; target a host instead"));
    }

    @Override
    public void abandon(String taskId) {
    }

    @Override
    public void close() {
    }
}
