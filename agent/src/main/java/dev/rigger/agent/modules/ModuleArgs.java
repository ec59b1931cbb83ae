package dev.rigger.agent.modules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed access to a module's arguments, checked at the edge: every error names the argument
 * ({@code args.device: required}, {@code args.force: expected a boolean, got "yes"}).
 */
public final class ModuleArgs {
    private final ObjectNode node;
    private final String prefix;

    public ModuleArgs(ObjectNode node) {
        this(node, "args.");
    }

    private ModuleArgs(ObjectNode node, String prefix) {
        this.node = node == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : node;
        this.prefix = prefix;
    }

    public boolean has(String name) {
        return node.hasNonNull(name);
    }

    public JsonNode raw(String name) {
        return node.get(name);
    }

    public String where(String name) {
        return prefix + name;
    }

    public ModuleArgs object(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new ArgsException(where(name) + ": required");
        }
        if (!v.isObject()) {
            throw wrongType(name, "an object", v);
        }
        return new ModuleArgs((ObjectNode) v, prefix + name + ".");
    }

    public String requiredString(String name) {
        String v = string(name, null);
        if (v == null || v.isBlank()) {
            throw new ArgsException(where(name) + ": required");
        }
        return v;
    }

    /** A string that must be present but may be empty (file content). */
    public String requiredStringOrEmpty(String name) {
        String v = string(name, null);
        if (v == null) {
            throw new ArgsException(where(name) + ": required");
        }
        return v;
    }

    public String string(String name, String fallback) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw wrongType(name, "a string", v);
        }
        return v.asText();
    }

    public boolean bool(String name, boolean fallback) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw wrongType(name, "a boolean", v);
        }
        return v.booleanValue();
    }

    /** One of the allowed words, lower case. */
    public String choice(String name, String fallback, String... allowed) {
        String v = string(name, fallback);
        if (v == null) {
            return null;
        }
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new ArgsException(where(name) + ": expected one of " + String.join("|", allowed) + ", got \"" + v + "\"");
    }

    /** A list of strings; a single string counts as a list of one when {@code singleAllowed}. Null when absent. */
    public List<String> stringList(String name, boolean singleAllowed) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual() && singleAllowed) {
            return List.of(v.asText());
        }
        if (!v.isArray()) {
            throw wrongType(name, singleAllowed ? "a string or a list of strings" : "a list of strings", v);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw new ArgsException(where(name) + "[" + i + "]: expected a string, got " + v.get(i));
            }
            out.add(v.get(i).asText());
        }
        return out;
    }

    /** A map of string values ({@code env}). Empty when absent. */
    public Map<String, String> stringMap(String name) {
        JsonNode v = node.get(name);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            throw wrongType(name, "an object of strings", v);
        }
        v.fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode()) {
                throw new ArgsException(where(name) + "." + e.getKey() + ": expected a string, got " + e.getValue());
            }
            out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }

    /** A user or group: a number (444) or a name ("root"), as text. Null when absent. */
    public String principal(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() && v.asLong() >= 0) {
            return Long.toString(v.asLong());
        }
        if (v.isTextual() && !v.asText().isBlank()) {
            return v.asText();
        }
        throw wrongType(name, "a user/group name or a non-negative number", v);
    }

    /** A permission mode: an octal string ("0755", "755") or its number (493). Null when absent. */
    public Integer mode(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() && v.asInt() >= 0 && v.asInt() <= 07777) {
            return v.asInt();
        }
        if (v.isTextual() && v.asText().matches("0?[0-7]{3,4}")) {
            return Integer.parseInt(v.asText(), 8);
        }
        throw wrongType(name, "an octal mode string like \"0755\" or a number", v);
    }

    /** A size: bytes as a number, or a number with a binary unit ("4G" = 4 GiB; K, M, G, T, P; "GiB"/"GB" alike). */
    public Long size(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() && v.asLong() >= 0) {
            return v.asLong();
        }
        if (v.isTextual()) {
            Long parsed = parseSize(v.asText());
            if (parsed != null) {
                return parsed;
            }
        }
        throw wrongType(name, "a size in bytes or like \"100G\"", v);
    }

    static Long parseSize(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([KMGTP]?)(?:I?B)?\\s*").matcher(text.toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        int power = "KMGTP".indexOf(m.group(2).isEmpty() ? "x" : m.group(2)) + 1;
        return new java.math.BigDecimal(m.group(1)).multiply(java.math.BigDecimal.valueOf(1024).pow(power)).longValue();
    }

    private ArgsException wrongType(String name, String expected, JsonNode got) {
        return new ArgsException(where(name) + ": expected " + expected + ", got " + got);
    }
}
