package dev.rigger.ecssim.boot;

/** A start-up check that failed; the message is the one ECS-like error line printed before exiting. */
public final class BootFailure extends Exception {
    public BootFailure(String message) {
        super(message, null, false, false);
    }
}
