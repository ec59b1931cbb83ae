package dev.rigger.agent.modules;

import dev.rigger.agent.exec.OutputSink;
import java.time.Instant;

/**
 * How the runner runs one task: what the controller asked of it in the task request.
 *
 * @param check      plan only, apply nothing
 * @param diff       put the plan's before/after into the result
 * @param output     receives each line the task's commands print
 * @param timeoutSec the task's time limit, 0 for none; commands still running at the deadline are killed
 */
public record TaskOptions(boolean check, boolean diff, OutputSink output, int timeoutSec) {
    public static TaskOptions apply() {
        return new TaskOptions(false, true, OutputSink.DISCARD, 0);
    }

    public static TaskOptions checkOnly() {
        return new TaskOptions(true, true, OutputSink.DISCARD, 0);
    }

    Instant deadlineFrom(Instant start) {
        return timeoutSec > 0 ? start.plusSeconds(timeoutSec) : null;
    }
}
