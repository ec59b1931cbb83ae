package dev.rigger.agent.modules;

import dev.rigger.agent.exec.OutputSink;
import java.time.Instant;

/** What a step needs while it is applied: where command output goes, and when the task must be over. */
public record StepContext(OutputSink output, Instant deadline) {
}
