package dev.rigger.agent.exec;

/** The command (or the task around it) ran past its deadline and was killed. */
public class CommandTimeoutException extends RuntimeException {
    public CommandTimeoutException(String message) {
        super(message);
    }
}
