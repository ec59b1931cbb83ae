package dev.rigger.agent.modules;

/** A module cannot or will not plan: the message names the place (device, path) and what was expected. */
public class ModuleException extends RuntimeException {
    public ModuleException(String message) {
        super(message);
    }
}
