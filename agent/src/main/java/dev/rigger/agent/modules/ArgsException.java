package dev.rigger.agent.modules;

/** A module argument is missing or has the wrong type; the message starts with its name ({@code args.device: required}). */
public class ArgsException extends ModuleException {
    public ArgsException(String message) {
        super(message);
    }
}
