package dev.rigger.lab;

/** A lab step that could not be done; the message names the node, device, path or command involved. */
public class LabException extends RuntimeException {
    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
