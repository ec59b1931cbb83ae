package dev.rigger.agent.modules;

import dev.rigger.agent.exec.OutputSink;
import java.time.Instant;

/**
 * How the runner runs one task.
 *
 * @param check      plan only, apply nothing
 * @param diff       put the plan's before/after into the result
 * @param output     receives each line the task's commands print
 * @param timeoutSec the task's time limit, 0 for none; commands still running at the deadline are killed
 */
public record RunOptions(boolean check, boolean diff, OutputSink output, int timeoutSec) {
    public static RunOptions apply() {
        return new RunOptions(false, true, OutputSink.DISCARD, 0);
    }

    public static RunOptions checkOnly() {
        return new RunOptions(true, true, OutputSink.DISCARD, 0);
    }

    Instant deadlineFrom(Instant start) {
        return timeoutSec > 0 ? start.plusSeconds(timeoutSec) : null;
    }
}
