package dev.rigger.playbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps and lists for template contexts that print as JSON, so that {@code "{{ facts.os }}"} inside a
 * text renders {@code {"family":"debian"}} rather than Java's {@code {family=debian}}.
 */
final class ContextValues {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private ContextValues() {
    }

    static Object fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            JsonMap map = new JsonMap();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                map.put(field.getKey(), fromJson(field.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            JsonList list = new JsonList();
            node.forEach(element -> list.add(fromJson(element)));
            return list;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        return node.asText();
    }

    static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static final class JsonMap extends LinkedHashMap<String, Object> {
        @Override
        public String toString() {
            return json(this);
        }
    }

    static final class JsonList extends ArrayList<Object> {
        @Override
        public String toString() {
            return json(this);
        }
    }
}
