package dev.rigger.controller.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code -e key=value} and {@code -e @file.json}. A value that reads as a JSON number, boolean or
 * null is taken as that (so {@code -e ecs_owner=444} is a number); anything else is a string.
 */
final class ExtraVars {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Map<String, Object> parse(List<String> specs) throws BadInputException {
        Map<String, Object> vars = new LinkedHashMap<>();
        for (String spec : specs) {
            if (spec.startsWith("@")) {
                Path file = Path.of(spec.substring(1));
                try {
                    JsonNode node = JSON.readTree(Files.readString(file));
                    if (!node.isObject()) {
                        throw new BadInputException("-e " + spec + ": expected a JSON object of variables");
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = JSON.convertValue(node, Map.class);
                    vars.putAll(m);
                } catch (JsonProcessingException e) {
                    throw new BadInputException("-e " + spec + ":" + e.getLocation().getLineNr() + ":"
                            + e.getLocation().getColumnNr() + ": not JSON: " + e.getOriginalMessage());
                } catch (IOException e) {
                    throw new BadInputException("-e " + spec + ": cannot read " + file);
                }
                continue;
            }
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("-e " + spec + ": expected key=value or @file.json");
            }
            vars.put(spec.substring(0, eq), scalar(spec.substring(eq + 1)));
        }
        return vars;
    }

    private static Object scalar(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && (node.isNumber() || node.isBoolean())) {
                return JSON.convertValue(node, Object.class);
            }
        } catch (JsonProcessingException e) {
            // not JSON: a plain string
        }
        return text;
    }

    private ExtraVars() {
    }
}
