package dev.rigger.agent.exec;

import dev.rigger.protocol.TaskOutput;

/** Receives each line a command prints, as it prints it (the agent turns them into {@code TaskOutput}). */
@FunctionalInterface
public interface OutputSink {
    OutputSink DISCARD = (stream, line) -> { };

    void line(TaskOutput.Stream stream, String line);
}
