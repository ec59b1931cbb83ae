package dev.rigger.controller.serve;

import java.util.Map;

/** A request the API refuses: the HTTP status and the JSON body that says why. */
public final class ApiException extends Exception {
    private final int status;
    private final Map<String, Object> body;

    public ApiException(int status, String error) {
        this(status, Map.of("error", error));
    }

    public ApiException(int status, Map<String, Object> body) {
        super(String.valueOf(body.get("error")));
        this.status = status;
        this.body = body;
    }

    public int status() {
        return status;
    }

    public Map<String, Object> body() {
        return body;
    }
}
