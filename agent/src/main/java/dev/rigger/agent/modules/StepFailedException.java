package dev.rigger.agent.modules;

import dev.rigger.protocol.StepResult;

/** A step could not be applied; {@link #result()} holds what it did (the command's exit code and output). */
public class StepFailedException extends Exception {
    private final transient StepResult result;

    public StepFailedException(String message, StepResult result) {
        super(message);
        this.result = result;
    }

    public StepResult result() {
        return result;
    }
}
