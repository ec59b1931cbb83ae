package dev.rigger.playbook;

/**
 * A host pattern that names nothing in the inventory, or cannot be read. The message quotes the pattern,
 * which comes from the user: it is made {@link Problem#printable} so a newline in it cannot forge a line.
 */
public class HostPatternException extends IllegalArgumentException {

    public HostPatternException(String message) {
        super(Problem.printable(message));
    }
}
