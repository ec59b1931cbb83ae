package dev.rigger.agent.modules.service;

import dev.rigger.agent.modules.ModuleData;
import dev.rigger.agent.modules.ModuleException;
import dev.rigger.agent.modules.Plan;
import dev.rigger.agent.modules.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plans a service on a host without an init system (lab nodes, containers): the daemon is started as a
 * plain process and nothing supervises it, which every message says. {@code enabled} cannot be honoured
 * here and is reported, not failed, so that one playbook serves hosts with and without systemd.
 */
final class DirectDaemonPlanner {
    private final InitSystem init;

    DirectDaemonPlanner(InitSystem init) {
        this.init = init;
    }

    Plan plan(ServiceOptions o) {
        if (o.daemon() == null) {
            throw new ModuleException("service " + o.name() + ": this host has no init system (PID 1 is " + init.pid1()
                    + "); give args.daemon to start it directly");
        }
        String program = o.program();
        List<Long> running = DaemonProcesses.running(o.daemon(), o.pidFile());
        Long pid = running.isEmpty() ? null : running.get(0);
        String unsupervised = "this host has no init system (PID 1 is " + init.pid1() + "), so nothing supervises or restarts it";
        String bootNote = o.enabled() == null ? ""
                : "; args.enabled has no effect here: no init system starts services at boot on this host";
        List<Step> steps = new ArrayList<>();
        if (!running.isEmpty() && !o.state().equals("started")) {
            steps.add(new StopDaemonStep(program, running));
        }
        switch (o.state()) {
            case "stopped" -> {
                if (running.isEmpty()) {
                    return Plan.noop(program + " does not run" + bootNote, data(o, null));
                }
                return Plan.change("stop " + program + " (pid " + pid + ")" + bootNote, steps, data(o, null));
            }
            case "started" -> {
                if (!running.isEmpty()) {
                    return Plan.noop(program + " already runs (pid " + pid + "); no init system supervises it" + bootNote,
                            data(o, pid));
                }
            }
            default -> {
                // restarted: whatever runs was stopped above and is started again below
            }
        }
        StartDaemonStep start = new StartDaemonStep(o.daemon(), o.logFile(), o.readyCommand(), o.readyTimeout());
        steps.add(start);
        String verb = running.isEmpty() ? "start " : "restart ";
        return Plan.change(verb + program + " directly; " + unsupervised + bootNote, steps, data(o, Plan.KNOWN_AFTER_APPLY))
                .withDataAfterApply(applied -> data(o, start.startedPid()));
    }

    private Map<String, Object> data(ServiceOptions o, Object pid) {
        return ModuleData.of("name", o.name(), "state", o.state(), "manager", init.manager(), "pid", pid);
    }
}
