package dev.rigger.controller.run;

/** A host could not be reached or its agent could not be started; the message says which and why. */
public class UnreachableException extends Exception {
    public UnreachableException(String message) {
        super(message);
    }

    public UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
