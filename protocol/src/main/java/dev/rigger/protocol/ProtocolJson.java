package dev.rigger.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The one JSON mapping of protocol messages, shared by both ends so they cannot drift apart. */
public final class ProtocolJson {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);

    public static JsonNode toTree(Object message) {
        return MAPPER.valueToTree(message);
    }

    /** Decodes a message and refuses a version this side does not speak. */
    public static <T> T fromTree(JsonNode node, Class<T> type) {
        if (node == null || !node.isObject()) {
            throw new ProtocolException("expected a " + type.getSimpleName() + " object, got " + node);
        }
        int v = node.path("v").asInt(-1);
        if (v != ProtocolVersion.CURRENT) {
            throw new ProtocolException(type.getSimpleName() + " has protocol version " + v
                    + "; this side speaks " + ProtocolVersion.CURRENT);
        }
        try {
            return MAPPER.treeToValue(node, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ProtocolException("malformed " + type.getSimpleName() + ": " + e.getOriginalMessage());
        }
    }

    private ProtocolJson() {
    }
}
