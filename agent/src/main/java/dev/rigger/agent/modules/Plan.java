package dev.rigger.agent.modules;

import dev.rigger.protocol.Diff;
import dev.rigger.protocol.StepResult;
import java.util.List;
import java.util.Map;

/**
 * What a module would do: steps, a message (the noop reason when there are no steps, else what the
 * steps achieve, phrased so that "would " can precede it), a diff, and the data {@code register} keeps.
 *
 * @param data        the data as far as it is known before applying; unknowns are {@link #KNOWN_AFTER_APPLY}
 * @param dataAfterApply computes the data once the steps ran (e.g. a new PARTUUID); null when {@code data} is final
 */
public record Plan(List<Step> steps, String msg, Diff diff, Map<String, Object> data, DataAfterApply dataAfterApply) {
    /** Stands for a value that only applying can tell, in check mode. */
    public static final String KNOWN_AFTER_APPLY = "(known after apply)";

    public Plan {
        steps = List.copyOf(steps);
        data = data == null ? Map.of() : data;
    }

    /** Nothing to do, and why. */
    public static Plan noop(String reason, Map<String, Object> data) {
        return new Plan(List.of(), reason, null, data, null);
    }

    public static Plan change(String action, List<Step> steps, Map<String, Object> data) {
        return new Plan(steps, action, null, data, null);
    }

    public Plan withDiff(Diff d) {
        return new Plan(steps, msg, d, data, dataAfterApply);
    }

    public Plan withDataAfterApply(DataAfterApply after) {
        return new Plan(steps, msg, diff, data, after);
    }

    public boolean isNoop() {
        return steps.isEmpty();
    }

    /** Reads the data that exists only after the steps ran; also called after a failed step when it can tell something. */
    @FunctionalInterface
    public interface DataAfterApply {
        Map<String, Object> data(List<StepResult> applied) throws Exception;
    }
}
