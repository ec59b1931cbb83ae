package dev.rigger.controller.bootstrap;

import java.io.IOException;

/** The agent could not be installed or started on a host; the message names the host and the reason. */
public class BootstrapException extends IOException {

    private static final long serialVersionUID = 1L;

    public BootstrapException(String message) {
        super(message);
    }

    public BootstrapException(String message, Throwable cause) {
        super(message, cause);
    }
}
