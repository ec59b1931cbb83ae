package dev.rigger.lab;

/** Asked for a lab's inventory when no lab of that name is up under that state root. */
public final class LabNotUpException extends LabException {
    public LabNotUpException(String message) {
        super(message);
    }
}
