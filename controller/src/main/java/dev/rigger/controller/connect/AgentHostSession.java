package dev.rigger.controller.connect;

import dev.rigger.controller.agents.AgentRegistryVerticle;
import dev.rigger.controller.bootstrap.AgentProcess;
import dev.rigger.controller.bridge.AgentGate;
import dev.rigger.controller.docker.HostDocker;
import dev.rigger.controller.modules.HostAccess;
import dev.rigger.controller.modules.SshHostAccess;
import dev.rigger.controller.run.HostSession;
import dev.rigger.controller.ssh.SshHost;
import dev.rigger.protocol.ModuleResult;
import dev.rigger.protocol.RunTask;
import dev.rigger.protocol.TaskOutput;
import dev.rigger.protocol.facts.HostFacts;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A host whose agent is attached: tasks travel over the bridge; closing ends the SSH session and so the agent. */
final class AgentHostSession implements HostSession {
    private final String host;
    private final HostFacts facts;
    private final SshHost ssh;
    private final AgentProcess agent;
    private final AgentRegistryVerticle registry;
    private final AgentGate gate;

    AgentHostSession(String host, HostFacts facts, SshHost ssh, AgentProcess agent, AgentRegistryVerticle registry,
                     AgentGate gate) {
        this.host = host;
        this.facts = facts;
        this.ssh = ssh;
        this.agent = agent;
        this.registry = registry;
        this.gate = gate;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public HostFacts facts() {
        return facts;
    }

    @Override
    public HostAccess access() {
        return new SshHostAccess(host, ssh);
    }

    @Override
    public CompletableFuture<ModuleResult> run(RunTask task, Consumer<TaskOutput> output) {
        return registry.run(task, output);
    }

    @Override
    public boolean alive() {
        return !agent.process().exit().isDone() && !registry.isLost(host);
    }

    @Override
    public void abandon(String taskId) {
        registry.abandon(taskId, "the controller stopped waiting for it (run cancelled or time up)");
    }

    @Override
    public void close() {
        HostDocker.close(host);
        agent.process().close();
        ssh.close();
        gate.forget(host);
    }
}
