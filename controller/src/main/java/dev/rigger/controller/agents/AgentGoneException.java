package dev.rigger.controller.agents;

/** The agent a task was waiting on disconnected or stopped. */
public class AgentGoneException extends RuntimeException {
    public AgentGoneException(String message) {
        super(message);
    }
}
