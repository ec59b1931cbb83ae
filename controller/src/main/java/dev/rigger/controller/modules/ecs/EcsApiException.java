package dev.rigger.controller.modules.ecs;

import java.io.IOException;

/** An answer of the ECS management API that is not a success, in ECS's own terms (code, description). */
public class EcsApiException extends IOException {
    private final int status;
    private final int code;
    private final boolean retryable;

    public EcsApiException(String call, int status, int code, String description) {
        this(call, status, code, false, description);
    }

    public EcsApiException(String call, int status, int code, boolean retryable, String description) {
        super(call + ": HTTP " + status + (code != 0 ? ", ECS error " + code : "")
                + (description != null && !description.isBlank() ? ": " + description : ""));
        this.status = status;
        this.code = code;
        this.retryable = retryable;
    }

    /** ECS said {@code "retryable": true}: the same call may succeed later. */
    public boolean retryable() {
        return retryable;
    }

    public int status() {
        return status;
    }

    /** ECS's error code from the body ({@code 1015} resource already exists, …), 0 when none. */
    public int code() {
        return code;
    }
}
