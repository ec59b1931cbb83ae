package dev.rigger.playbook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each element of a JSON text starts, by JSON pointer, so that schema errors (which only know
 * pointers) can name a line and column. Inventories and vars files use it too.
 */
public final class JsonLocations {

    /** line and column, both 1-based */
    public record Position(int line, int column) {
        static final Position UNKNOWN = new Position(0, 0);
    }

    private final Map<String, Position> values;
    private final Map<String, Position> names;

    private JsonLocations(Map<String, Position> values, Map<String, Position> names) {
        this.values = values;
        this.names = names;
    }

    /** Records positions; the text must already be known to be well-formed JSON. */
    static JsonLocations of(JsonFactory factory, String json) throws IOException {
        Map<String, Position> values = new HashMap<>();
        Map<String, Position> names = new HashMap<>();
        try (JsonParser p = factory.createParser(json)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    continue;
                }
                JsonLocation at = p.currentTokenLocation();
                Position pos = new Position(at.getLineNr(), at.getColumnNr());
                if (t == JsonToken.FIELD_NAME) {
                    names.put(p.getParsingContext().pathAsPointer().toString(), pos);
                } else if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    // the new container's context names no child yet: its parent's path is the container's
                    values.put(p.getParsingContext().getParent().pathAsPointer().toString(), pos);
                } else {
                    values.put(p.getParsingContext().pathAsPointer().toString(), pos);
                }
            }
        }
        return new JsonLocations(values, names);
    }

    /** Positions in {@code json}, which must already be known to be well-formed JSON. */
    public static JsonLocations of(String json) throws IOException {
        return of(new JsonFactory(), json);
    }

    /** Where the value at {@code pointer} starts; the nearest enclosing element if it is absent. */
    public Position value(String pointer) {
        String p = pointer;
        while (true) {
            Position pos = values.get(p);
            if (pos != null) {
                return pos;
            }
            if (p.isEmpty()) {
                return Position.UNKNOWN;
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    /** Where the property name that holds {@code pointer} starts, else where its value starts. */
    public Position name(String pointer) {
        Position pos = names.get(pointer);
        return pos != null ? pos : value(pointer);
    }
}
