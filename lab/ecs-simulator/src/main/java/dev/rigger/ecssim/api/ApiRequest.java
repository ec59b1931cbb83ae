package dev.rigger.ecssim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One management-API call after routing: path parameters, query, headers and body. */
public record ApiRequest(String method, String path, Map<String, String> pathParams, Map<String, String> query,
                         Headers headers, byte[] body, boolean jsonSuffix) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public String param(String name) {
        return pathParams.get(name);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as a JSON object; an empty body is an empty object, anything else unparsable is 1013. */
    public ObjectNode json() {
        if (body.length == 0 || bodyText().isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node instanceof ObjectNode object) {
                return object;
            }
            throw ApiError.badBody("expected a JSON object");
        } catch (IOException e) {
            throw ApiError.badBody("body is not valid JSON (line " + lineOf(e) + ")");
        }
    }

    /** A required non-empty string field of the JSON body, else 1005 naming it. */
    public static String requiredText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            throw ApiError.missing(field);
        }
        if (!value.isValueNode()) {
            throw ApiError.invalid(field + " must be a string");
        }
        return value.asText();
    }

    /** Booleans may come as JSON booleans or as strings ("false"), as the seed scripts send them. */
    public static boolean flag(JsonNode body, String field, boolean fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        String text = value.asText().trim().toLowerCase();
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw ApiError.invalid(field + " must be true or false");
    }

    private static int lineOf(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException parse && parse.getLocation() != null) {
            return parse.getLocation().getLineNr();
        }
        return 0;
    }
}
