package dev.rigger.controller.modules;

import dev.rigger.protocol.Diff;
import java.util.List;
import java.util.Map;

/**
 * What a controller-side module would do. An empty plan is a no-op and {@code msg} says why.
 *
 * @param dataAfterApply reads what only exists once the steps ran; null when {@code data} is final
 */
public record ControllerPlan(List<ControllerStep> steps, String msg, Diff diff, Map<String, Object> data,
                             DataAfterApply dataAfterApply) {
    public static final String KNOWN_AFTER_APPLY = "(known after apply)";

    public ControllerPlan {
        steps = List.copyOf(steps);
        data = data == null ? Map.of() : data;
    }

    public static ControllerPlan noop(String reason, Map<String, Object> data) {
        return new ControllerPlan(List.of(), reason, null, data, null);
    }

    public static ControllerPlan change(String msg, List<ControllerStep> steps, Map<String, Object> data) {
        return new ControllerPlan(steps, msg, null, data, null);
    }

    public ControllerPlan withDataAfterApply(DataAfterApply after) {
        return new ControllerPlan(steps, msg, diff, data, after);
    }

    @FunctionalInterface
    public interface DataAfterApply {
        Map<String, Object> data(ControllerModuleContext context) throws Exception;
    }
}
