package dev.rigger.controller.docker;

import dev.rigger.controller.run.HostSession;
import dev.rigger.controller.ssh.SshHost;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.RunTask;
import dev.rigger.protocol.TaskOutput;
import dev.rigger.protocol.facts.HostFacts;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A host session that is only its real SSH connection: what controller-side Docker modules use. Agent
 * tasks are not part of it.
 */
public final class SshHostSession implements HostSession {
    private final SshHost ssh;

    public SshHostSession(SshHost ssh) {
        this.ssh = ssh;
    }

    @Override
    public String host() {
        return ssh.target().name();
    }

    @Override
    public HostFacts facts() {
        return null;
    }

    @Override
    public SshHost ssh() {
        return ssh;
    }

    @Override
    public CompletableFuture<ModuleResult> run(RunTask task, Consumer<TaskOutput> output) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                "no agent on " + host() + " in this session: it carries SSH only"));
    }

    @Override
    public void abandon(String taskId) {
    }

    @Override
    public void close() {
        ssh.close();
    }
}
