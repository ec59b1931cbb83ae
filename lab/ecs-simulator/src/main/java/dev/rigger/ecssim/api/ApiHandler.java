package dev.rigger.ecssim.api;

/** One management-API operation. */
@FunctionalInterface
public interface ApiHandler {
    ApiResponse handle(ApiRequest request);
}
