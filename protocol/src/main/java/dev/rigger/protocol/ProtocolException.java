package dev.rigger.protocol;

/** A message that cannot be understood: wrong version, wrong shape, or a broken frame. */
public class ProtocolException extends RuntimeException {
    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
