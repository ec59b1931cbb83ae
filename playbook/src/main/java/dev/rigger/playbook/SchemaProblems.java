package dev.rigger.playbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the validator's messages into one short problem per real mistake.
 *
 * <p>The validator reports every failed alternative of an {@code anyOf}/{@code oneOf} ("string found, boolean
 * expected" and "does not match \{\{" for one {@code "force": "yes"}). Alternatives are folded into one
 * problem that quotes the schema's {@code description} of what is accepted; when one alternative got deeper
 * into the value than the others, it was the one meant, and only its problems are kept.
 */
final class SchemaProblems {

    /** Keywords that fail on an object's members while the object itself has the right type. */
    private static final Set<String> MEMBER_KEYWORDS = Set.of("additionalProperties", "required");

    private final JsonNode schema;
    private final List<String> modules;

    SchemaProblems(JsonNode schema, List<String> modules) {
        this.schema = schema;
        this.modules = modules;
    }

    /** A located problem before the source name is known. */
    record Found(String pointer, boolean atName, String message) {
    }

    List<Found> map(Set<ValidationMessage> messages) {
        List<Found> found = new ArrayList<>();
        fold(new ArrayList<>(messages), 0, found);
        Map<String, Found> unique = new LinkedHashMap<>();
        for (Found f : found) {
            unique.putIfAbsent(f.pointer() + "\u0000" + f.message(), f);
        }
        return new ArrayList<>(unique.values());
    }

    private void fold(List<ValidationMessage> messages, int from, List<Found> out) {
        Map<String, List<ValidationMessage>> groups = new LinkedHashMap<>();
        Map<String, Integer> groupDepth = new LinkedHashMap<>();
        for (ValidationMessage m : messages) {
            List<String> path = segments(m.getEvaluationPath().toString());
            int alt = firstAlternative(path, from);
            if (alt < 0) {
                out.add(plain(m));
                continue;
            }
            // the same alternatives in the schema, applied to one place in the playbook
            int depth = instanceDepth(path.subList(0, alt));
            List<String> instance = segments(m.getInstanceLocation().toString());
            String key = "/" + String.join("/", path.subList(0, alt + 1)) + "@"
                    + String.join("/", instance.subList(0, Math.min(depth, instance.size())));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
            groupDepth.put(key, depth);
        }
        groups.forEach((key, group) -> {
            int depth = groupDepth.get(key);
            String evaluation = key.substring(0, key.indexOf('@'));
            int next = segments(evaluation).size();
            List<ValidationMessage> deeper = group.stream()
                    .filter(m -> depth(m.getInstanceLocation().toString()) > depth)
                    .toList();
            if (!deeper.isEmpty()) {
                fold(new ArrayList<>(deeper), next, out);
                return;
            }
            List<ValidationMessage> meant = onlyAlternativeOfTheRightType(group, next);
            if (meant != null) {
                fold(new ArrayList<>(meant), next + 1, out);
                return;
            }
            ValidationMessage first = group.get(0);
            JsonNode holder = resolve(segments(evaluation).subList(0, next - 1));
            String expected = holder.path("description").asText("");
            if (expected.isEmpty()) {
                group.forEach(m -> out.add(plain(m)));
            } else {
                out.add(new Found(first.getInstanceLocation().toString(), false,
                        "expected " + expected + found(first.getInstanceNode())));
            }
        });
    }

    /**
     * The messages of the one alternative whose type the value has, when every other alternative failed on
     * its type alone: {@code "select": {"colour": "red"}} meant the object form, so "unknown property
     * 'colour'" says more than the list of forms. Only mistakes about an object's members count: the
     * validator reports them at the object, not deeper, so they would otherwise be folded away. Null when
     * that is not so.
     */
    private static List<ValidationMessage> onlyAlternativeOfTheRightType(List<ValidationMessage> group, int at) {
        Map<String, List<ValidationMessage>> byAlternative = new LinkedHashMap<>();
        for (ValidationMessage m : group) {
            List<String> path = segments(m.getEvaluationPath().toString());
            if (path.size() <= at) {
                return null;
            }
            byAlternative.computeIfAbsent(path.get(at), k -> new ArrayList<>()).add(m);
        }
        List<List<ValidationMessage>> rightType = byAlternative.values().stream()
                .filter(ms -> ms.stream().allMatch(m -> MEMBER_KEYWORDS.contains(m.getType())))
                .toList();
        return rightType.size() == 1 && byAlternative.size() > 1 ? rightType.get(0) : null;
    }

    /** How many levels into the playbook an evaluation path has gone (properties, items, ...). */
    private static int instanceDepth(List<String> path) {
        int depth = 0;
        for (int i = 0; i < path.size(); i++) {
            switch (path.get(i)) {
                case "properties", "patternProperties", "prefixItems" -> {
                    depth++;
                    i++;
                }
                case "items", "additionalProperties", "contains", "unevaluatedItems", "unevaluatedProperties" ->
                        depth++;
                case "$defs", "allOf", "anyOf", "oneOf", "dependentSchemas" -> i++;
                default -> {
                }
            }
        }
        return depth;
    }

    private Found plain(ValidationMessage m) {
        String pointer = m.getInstanceLocation().toString();
        Object[] args = m.getArguments() == null ? new Object[0] : m.getArguments();
        List<String> path = segments(m.getEvaluationPath().toString());
        // the schema object that holds the failing keyword
        JsonNode holder = path.isEmpty() ? schema : resolve(path.subList(0, path.size() - 1));
        JsonNode value = m.getInstanceNode();
        return switch (m.getType()) {
            case "required" -> new Found(pointer, false, "missing required property '" + m.getProperty() + "'");
            case "additionalProperties" -> new Found(pointer + "/" + escape(m.getProperty()), true,
                    "unknown property '" + m.getProperty() + "'" + allowed(holder));
            case "enum" -> pointer.endsWith("/module") && pointer.contains("/tasks/")
                    ? new Found(pointer, false, "unknown module '" + Templates.shorten(value.asText()) + "'; known: " + String.join(", ", modules))
                    : new Found(pointer, false, json(value) + " is not one of: " + enumValues(holder));
            case "const" -> new Found(pointer, false, "expected " + holder.path("const") + found(value));
            case "type" -> new Found(pointer, false, "expected " + article(String.valueOf(args.length > 1 ? args[1] : "?"))
                    + found(value));
            case "minimum" -> new Found(pointer, false, "must be at least " + args[0] + found(value));
            case "exclusiveMinimum" -> new Found(pointer, false, "must be more than " + args[0] + found(value));
            case "maximum" -> new Found(pointer, false, "must be at most " + args[0] + found(value));
            case "minLength" -> new Found(pointer, false, "must not be empty");
            case "minItems" -> new Found(pointer, false, "needs at least " + args[0] + " item" + plural(args[0]));
            case "minProperties" -> new Found(pointer, false, holder.has("properties")
                    ? "needs at least one of: " + String.join(", ", names(holder.path("properties")))
                    : "needs at least " + args[0] + " propert" + (String.valueOf(args[0]).equals("1") ? "y" : "ies"));
            case "uniqueItems" -> new Found(pointer, false, "has the same item twice");
            case "propertyNames" -> new Found(pointer + "/" + escape(String.valueOf(m.getProperty())), true,
                    "'" + m.getProperty() + "' is not a valid name" + describedBy(holder.path("propertyNames")));
            case "pattern" -> new Found(pointer, false, holder.has("description")
                    ? "expected " + holder.get("description").asText() + found(value)
                    : "does not match " + args[0] + found(value));
            default -> new Found(pointer, false, stripPointer(m.getMessage(), pointer));
        };
    }

    /** The schema node an evaluation path leads to, following {@code $ref}s. */
    private JsonNode resolve(List<String> path) {
        JsonNode node = schema;
        for (String segment : path) {
            if (segment.equals("$ref")) {
                String ref = node.path("$ref").asText("");
                node = ref.startsWith("#") ? schema.at(ref.substring(1)) : schema.path("missing");
            } else if (node.isArray()) {
                node = node.path(Integer.parseInt(segment));
            } else {
                node = node.path(segment);
            }
            if (node.isMissingNode()) {
                return node;
            }
        }
        return node;
    }

    private static int firstAlternative(List<String> path, int from) {
        for (int i = from; i < path.size(); i++) {
            // a property may be called anyOf; a keyword follows a schema, never "properties"
            boolean keyword = i == 0 || !path.get(i - 1).equals("properties");
            if (keyword && (path.get(i).equals("anyOf") || path.get(i).equals("oneOf"))) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> segments(String pointer) {
        List<String> out = new ArrayList<>();
        if (pointer.isEmpty()) {
            return out;
        }
        for (String s : pointer.substring(1).split("/", -1)) {
            out.add(s.replace("~1", "/").replace("~0", "~"));
        }
        return out;
    }

    private static int depth(String pointer) {
        return segments(pointer).size();
    }

    private static String allowed(JsonNode holder) {
        List<String> names = names(holder.path("properties"));
        return names.isEmpty() ? "; nothing is allowed here" : "; expected one of: " + String.join(", ", names);
    }

    private String describedBy(JsonNode schemaNode) {
        JsonNode node = schemaNode.has("$ref") ? schema.at(schemaNode.get("$ref").asText().substring(1)) : schemaNode;
        return node.has("description") ? ": expected " + node.get("description").asText() : "";
    }

    private String enumValues(JsonNode holder) {
        List<String> values = new ArrayList<>();
        holder.path("enum").forEach(v -> values.add(v.isTextual() ? v.asText() : v.toString()));
        return String.join(", ", values);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String found(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "";
        }
        if (value.isObject()) {
            return "";
        }
        if (value.isArray()) {
            return value.isEmpty() ? ", found an empty list" : ", found a list of " + value.size();
        }
        return ", found " + json(value);
    }

    private static String json(JsonNode value) {
        String text = value == null ? "null" : value.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    private static String article(String type) {
        return switch (type) {
            case "integer", "array", "object" -> "an " + (type.equals("array") ? "array" : type);
            case "boolean" -> "true or false";
            default -> "a " + type;
        };
    }

    private static String plural(Object n) {
        return String.valueOf(n).equals("1") ? "" : "s";
    }

    private static String stripPointer(String message, String pointer) {
        String prefix = pointer + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
