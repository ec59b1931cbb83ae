package dev.rigger.playbook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A JSON file a user wrote (a playbook, an inventory, a vars file), read strictly — one value, no duplicate
 * keys, UTF-8, a regular file of sane size — and able to place a problem at a JSON pointer, with the line
 * and column where that value starts.
 */
public final class JsonDocument {

    /** Where Jackson says a construct began: "[Source: REDACTED (...); line: 1, column: 1]". */
    private static final Pattern SOURCE = Pattern.compile(
            "\\[Source: [^;\\]]*(?:\\][^;\\]]*)?; (line: \\d+(?:, column: \\d+)?)]");
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private final String source;
    private final JsonNode root;
    private final String json;
    /** Made when a problem is first placed: most documents have none, and a large state file took longer to map than to parse. */
    private JsonLocations locations;

    private JsonDocument(String source, JsonNode root, String json) {
        this.source = source;
        this.root = root;
        this.json = json;
    }

    /** Reads {@code file}; problems name it as given. */
    public static JsonDocument read(Path file) throws PlaybookException {
        String text;
        try {
            text = PlaybookFiles.read(file);
        } catch (PlaybookFiles.Unreadable e) {
            throw new PlaybookException(List.of(new Problem(file.toString(), "", e.line(), e.column(), e.getMessage())));
        }
        return parse(text, file.toString());
    }

    /** Parses {@code json}; {@code source} is what problems call it. */
    public static JsonDocument parse(String json, String source) throws PlaybookException {
        return new JsonDocument(source, tree(json, source), json);
    }

    public String source() {
        return source;
    }

    public JsonNode root() {
        return root;
    }

    synchronized JsonLocations locations() {
        if (locations == null) {
            try {
                locations = JsonLocations.of(FACTORY, json);
            } catch (IOException e) {
                throw new IllegalStateException("well-formed JSON could not be read twice", e);
            }
        }
        return locations;
    }

    /** A problem placed where the value at {@code pointer} starts (or its nearest enclosing element). */
    public Problem problemAt(String pointer, String message) {
        JsonLocations.Position at = locations().value(pointer);
        return new Problem(source, pointer, at.line(), at.column(), message);
    }

    /** A problem placed at the property name that holds {@code pointer} (for an unknown or bad name). */
    public Problem problemAtName(String pointer, String message) {
        JsonLocations.Position at = locations().name(pointer);
        return new Problem(source, pointer, at.line(), at.column(), message);
    }

    private static JsonNode tree(String json, String source) throws PlaybookException {
        JsonParser parser = null;
        try {
            parser = FACTORY.createParser(json);
            JsonNode root = MAPPER.readTree(parser);
            if (root == null || root.isMissingNode()) {
                throw new PlaybookException(List.of(new Problem(source, "", 1, 1, "empty file: expected a JSON object")));
            }
            if (parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw new PlaybookException(List.of(new Problem(source, "", at.getLineNr(), at.getColumnNr(),
                        "invalid JSON: more than one JSON value; expected one object")));
            }
            return root;
        } catch (JsonProcessingException e) {
            // a limit (nesting depth, number length) is reported without a place: the parser still knows it
            JsonParser p = e.getProcessor() instanceof JsonParser own ? own : parser;
            JsonLocation at = e.getLocation() != null ? e.getLocation() : p == null ? null : p.currentLocation();
            String pointer = "";
            if (p != null) {
                JsonStreamContext context = p.getParsingContext();
                pointer = context == null ? "" : shortPointer(context.pathAsPointer().toString());
            }
            int line = at == null ? 0 : at.getLineNr();
            int column = at == null ? 0 : at.getColumnNr();
            throw new PlaybookException(List.of(new Problem(source, pointer, line, column,
                    "invalid JSON: " + jsonMessage(e.getOriginalMessage()))));
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail", e);
        } finally {
            if (parser != null) {
                try {
                    parser.close();
                } catch (IOException ignored) {
                    // a string parser holds nothing to release
                }
            }
        }
    }

    /** A pointer a thousand levels deep (nested arrays) shortened to a readable head. */
    private static String shortPointer(String pointer) {
        return pointer.length() <= 200 ? pointer : pointer.substring(0, pointer.lastIndexOf('/', 180)) + "/...";
    }

    /** Jackson's message without what only a Java programmer can act on (feature names, "[Source: ...]"). */
    static String jsonMessage(String message) {
        String first = message.lines().findFirst().orElse(message);
        if (first.contains("maybe a (non-standard) comment")) {
            return "JSON has no comments";
        }
        first = SOURCE.matcher(first).replaceAll(m -> m.group(1).replace(":", ""));
        first = first.replaceAll(": enable `[^`]*` to allow$", "");
        first = first.replaceAll(", from `StreamReadConstraints\\.[^`]*`\\)", ")");
        return first;
    }
}
