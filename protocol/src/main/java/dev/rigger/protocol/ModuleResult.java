package dev.rigger.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The one result every module returns, agent-side or controller-side.
 *
 * @param data what {@code register} keeps (e.g. {@code path}, {@code partuuid}); templates read it
 * @param steps what was applied; in check mode the planned steps, not run
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModuleResult(String module, Status status, boolean changed, String msg, Diff diff,
                           Map<String, Object> data, List<StepResult> steps, long durationMs) {

    public static ModuleResult failed(String module, String msg) {
        return new ModuleResult(module, Status.FAILED, false, msg, null, Map.of(), List.of(), 0);
    }

    /** The run was cancelled while the task ran (see {@link Status#CANCELLED}). */
    public static ModuleResult cancelled(String module, String msg) {
        return new ModuleResult(module, Status.CANCELLED, false, msg, null, Map.of(), List.of(), 0);
    }

    public static ModuleResult skipped(String module, String msg) {
        return new ModuleResult(module, Status.SKIPPED, false, msg, null, Map.of(), List.of(), 0);
    }

    public ModuleResult withDuration(long ms) {
        return new ModuleResult(module, status, changed, msg, diff, data, steps, ms);
    }

    public boolean failed() {
        return status == Status.FAILED;
    }
}
