package dev.rigger.protocol;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a task did on one host. {@code CANCELLED}: the run was cancelled while the task ran; the agent
 * killed its commands, so how far it got is unknown. It is neither a success nor a failure of the host.
 */
public enum Status {
    OK, CHANGED, FAILED, SKIPPED, CANCELLED;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
