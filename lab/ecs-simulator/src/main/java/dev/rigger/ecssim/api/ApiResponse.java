package dev.rigger.ecssim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a handler answers: a status, a body and its type, and any extra headers. */
public record ApiResponse(int status, byte[] body, String contentType, Map<String, String> headers) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static ApiResponse json(int status, JsonNode node) {
        try {
            return new ApiResponse(status, JSON.writeValueAsBytes(node), "application/json", new LinkedHashMap<>());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ApiResponse ok(JsonNode node) {
        return json(200, node);
    }

    public static ApiResponse rawJson(int status, byte[] body) {
        return new ApiResponse(status, body, "application/json", new LinkedHashMap<>());
    }

    public static ApiResponse xml(int status, String xml) {
        return new ApiResponse(status, xml.getBytes(StandardCharsets.UTF_8), "application/xml", new LinkedHashMap<>());
    }

    /** ECS answers some writes (license, VDC insert) with 200 and no body. */
    public static ApiResponse empty(int status) {
        return new ApiResponse(status, new byte[0], null, new LinkedHashMap<>());
    }

    public ApiResponse withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
