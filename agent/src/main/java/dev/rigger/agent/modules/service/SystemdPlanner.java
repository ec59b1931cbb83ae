package dev.rigger.agent.modules.service;

import dev.rigger.agent.exec.CommandOutcome;
import dev.rigger.agent.modules.ModuleContext;
import dev.rigger.agent.modules.ModuleData;
import dev.rigger.agent.modules.Plan;
import dev.rigger.agent.modules.Step;
import dev.rigger.agent.modules.step.ExecStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Plans a service through systemctl: looks with is-active/is-enabled, changes only what differs. */
final class SystemdPlanner {
    /** is-enabled answers that need no {@code systemctl enable}: enabled, or started by other units. */
    private static final Set<String> ENABLED_ENOUGH = Set.of("enabled", "enabled-runtime", "alias", "static", "indirect", "generated");
    private static final Set<String> ENABLED = Set.of("enabled", "enabled-runtime");

    Plan plan(ServiceOptions o, ModuleContext ctx) {
        String unit = o.name();
        boolean active = ctx.probe("systemctl", "is-active", "--quiet", unit).ok();
        String enabledState = ctx.probe("systemctl", "is-enabled", unit).stdout().strip();
        List<Step> steps = new ArrayList<>();
        List<String> did = new ArrayList<>();
        if (Boolean.TRUE.equals(o.enabled()) && !ENABLED_ENOUGH.contains(enabledState)) {
            steps.add(ExecStep.of("systemctl", "enable", unit));
            did.add("enable");
        } else if (Boolean.FALSE.equals(o.enabled()) && ENABLED.contains(enabledState)) {
            steps.add(ExecStep.of("systemctl", "disable", unit));
            did.add("disable");
        }
        switch (o.state()) {
            case "started" -> {
                if (!active) {
                    steps.add(ExecStep.of("systemctl", "start", unit));
                    did.add("start");
                }
            }
            case "stopped" -> {
                if (active) {
                    steps.add(ExecStep.of("systemctl", "stop", unit));
                    did.add("stop");
                }
            }
            default -> {
                steps.add(ExecStep.of("systemctl", "restart", unit));
                did.add("restart");
            }
        }
        if (steps.isEmpty()) {
            String enabledNote = o.enabled() == null ? "" : " and " + (enabledState.isEmpty() ? "not enabled" : enabledState);
            return Plan.noop(unit + " is " + (active ? "active" : "inactive") + enabledNote, data(o, mainPid(ctx, unit)));
        }
        return Plan.change(String.join(" and ", did) + " " + unit + " with systemctl", steps,
                        data(o, Plan.KNOWN_AFTER_APPLY))
                .withDataAfterApply(applied -> data(o, mainPid(new ModuleContext(), unit)));
    }

    /** The unit's main pid, or null when it runs none. */
    private static Long mainPid(ModuleContext ctx, String unit) {
        CommandOutcome out = ctx.probe("systemctl", "show", "--property=MainPID", "--value", unit);
        try {
            long pid = Long.parseLong(out.stdout().strip());
            return pid > 0 ? pid : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Map<String, Object> data(ServiceOptions o, Object pid) {
        return ModuleData.of("name", o.name(), "state", o.state(), "manager", "systemd", "pid", pid);
    }
}
