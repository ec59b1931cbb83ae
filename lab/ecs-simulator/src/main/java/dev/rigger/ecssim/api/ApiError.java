package dev.rigger.ecssim.api;

/**
 * An ECS error answer: HTTP status plus the body {@code {"code","retryable","description","details"}}.
 * Codes and descriptions are those of python-ecsclient's error_codes table.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final int code;
    private final boolean retryable;
    private final String description;
    private final String details;

    public ApiError(int status, int code, boolean retryable, String description, String details) {
        super(code + " " + description + ": " + details, null, false, false);
        this.status = status;
        this.code = code;
        this.retryable = retryable;
        this.description = description;
        this.details = details;
    }

    /** 404 / 2000: an unknown path, or an id in the URL that names nothing. */
    public static ApiError notFound(String details) {
        return new ApiError(404, 2000, false, "Unable to find entity in request URL", details);
    }

    public static ApiError methodNotAllowed(String details) {
        return new ApiError(405, 1007, false, "Method not supported", details);
    }

    public static ApiError missing(String parameter) {
        return new ApiError(400, 1005, false, "Required parameter is missing or empty", parameter);
    }

    public static ApiError invalid(String details) {
        return new ApiError(400, 1008, false, "Parameter was provided but invalid", details);
    }

    public static ApiError exists(String details) {
        return new ApiError(400, 1015, false, "Resource already exists", details);
    }

    public static ApiError badBody(String details) {
        return new ApiError(400, 1013, false, "Bad request body", details);
    }

    public static ApiError unauthorized(String details) {
        return new ApiError(401, 4000, false,
                "Invalid credentials or authentication token provided to access to this resource", details);
    }

    public static ApiError internal(String details) {
        return new ApiError(500, 7000, true, "An error occurred in the API Service", details);
    }

    public int status() {
        return status;
    }

    public int code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }

    public String description() {
        return description;
    }

    public String details() {
        return details;
    }
}
