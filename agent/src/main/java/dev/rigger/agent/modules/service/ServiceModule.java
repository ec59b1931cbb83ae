package dev.rigger.agent.modules.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigger.agent.modules.AgentModule;
import dev.rigger.agent.modules.ModuleArgs;
import dev.rigger.agent.modules.ModuleContext;
import dev.rigger.agent.modules.Plan;

/**
 * {@code service}: a service started, stopped or restarted, and optionally enabled at boot.
 *
 * <p>Arguments: {@code name} (required), {@code state?: started|stopped|restarted} (started),
 * {@code enabled?: true|false}, {@code daemon?: ["dockerd"]}, {@code logFile?}, {@code pidFile?},
 * {@code readyCommand?: ["docker", "info"]}, {@code readyTimeoutSec?: 30}.
 * Data: {@code {name, state, manager: "systemd"|"none", pid}}.
 *
 * <p>Where systemd runs the host, systemctl does the work and the daemon arguments are ignored. Where
 * no init system runs (PID 1 is a shell or sshd, as on lab nodes), the module starts {@code daemon}
 * itself, detached, and says that nothing supervises it; without {@code daemon} it fails, since it has
 * nothing it could start. {@code enabled} then has no effect, which the message says.
 * <pre>{@code {"module": "service", "args": {"name": "docker", "enabled": true,
 *   "daemon": ["dockerd"], "logFile": "/var/log/docker.log", "pidFile": "/var/run/docker.pid",
 *   "readyCommand": ["docker", "info"]}}}</pre>
 */
public final class ServiceModule implements AgentModule {
    private final InitSystem init;

    public ServiceModule() {
        this(null);
    }

    /** With a fixed init system instead of the detected one (null: detect when planning). */
    ServiceModule(InitSystem init) {
        this.init = init;
    }

    @Override
    public Plan plan(ObjectNode rawArgs, ModuleContext ctx) {
        ServiceOptions options = ServiceOptions.parse(new ModuleArgs(rawArgs));
        InitSystem host = init != null ? init : InitSystem.detect();
        return host.systemd() ? new SystemdPlanner().plan(options, ctx) : new DirectDaemonPlanner(host).plan(options);
    }
}
