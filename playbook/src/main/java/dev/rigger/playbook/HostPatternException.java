package dev.rigger.playbook;

/** A host pattern that names nothing in the inventory, or cannot be read. */
public class HostPatternException extends IllegalArgumentException {

    public HostPatternException(String message) {
        super(message);
    }
}
