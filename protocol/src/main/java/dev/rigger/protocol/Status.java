package dev.rigger.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a task did on one host. */
public enum Status {
    OK, CHANGED, FAILED, SKIPPED;

    @JsonValue
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
