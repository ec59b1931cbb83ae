package dev.rigger.controller.ssh;

import java.io.IOException;

/** An SSH operation on one host failed; the message names the host, its address and what failed. */
public class SshHostException extends IOException {

    private static final long serialVersionUID = 1L;

    /** What failed; the first group means the host is unreachable for the run's recap. */
    public enum Kind {
        CONNECTION_REFUSED(true),
        TIMED_OUT(true),
        UNRESOLVED(true),
        NETWORK(true),
        HOST_KEY(true),
        AUTH_REFUSED(true),
        IDENTITY(true),
        CONNECTION_LOST(true),
        COMMAND(false),
        TRANSFER(false),
        FORWARD(false);

        private final boolean unreachable;

        Kind(boolean unreachable) {
            this.unreachable = unreachable;
        }
    }

    private final Kind kind;

    public SshHostException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SshHostException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** True when the host could not be reached or the session is gone (recap: unreachable). */
    public boolean unreachable() {
        return kind.unreachable;
    }
}
