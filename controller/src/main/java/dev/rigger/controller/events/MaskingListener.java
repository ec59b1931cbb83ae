package dev.rigger.controller.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.rigger.controller.security.RunSecrets;
import dev.rigger.protocol.ProtocolJson;
import java.util.Iterator;
import java.util.Map;

/**
 * Masks the run's secret values ({@link RunSecrets}) in every event before any listener sees it, so the
 * console, the JSONL log, the state store and the API's stream all get the same masked text. An output
 * line, the common event, is masked as a string; any other event through its JSON form, every string in
 * it (messages, diffs, a module's data, step output). While the run has no secret, events pass untouched.
 */
public final class MaskingListener implements RunListener {
    private final RunSecrets secrets;
    private final RunListener next;

    public MaskingListener(RunSecrets secrets, RunListener next) {
        this.secrets = secrets;
        this.next = next;
    }

    @Override
    public void on(RunEvent event) {
        next.on(secrets.isEmpty() ? event : mask(event));
    }

    RunEvent mask(RunEvent event) {
        if (event instanceof RunEvent.Heartbeat) {
            return event;
        }
        if (event instanceof RunEvent.TaskOutputLine o) {
            String line = secrets.mask(o.line());
            String task = secrets.mask(o.task());
            return line == o.line() && task == o.task() ? event
                    : new RunEvent.TaskOutputLine(o.at(), task, o.host(), o.stream(), line);
        }
        // most events hold no secret: one look at their JSON text decides, the tree is built only when needed
        if (!secrets.mayBeIn(RunEventJson.write(event))) {
            return event;
        }
        JsonNode tree = ProtocolJson.MAPPER.valueToTree(event);
        if (!maskStrings(tree)) {
            return event;
        }
        try {
            return ProtocolJson.MAPPER.treeToValue(tree, RunEvent.class);
        } catch (JsonProcessingException e) {
            // the event's own JSON form always reads back; should it not, nothing of it may leave unmasked
            throw new IllegalStateException("cannot mask a " + RunEventJson.typeName(event) + " event", e);
        }
    }

    /** Masks every string value below {@code node} in place; true when one changed. */
    private boolean maskStrings(JsonNode node) {
        boolean changed = false;
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (value.isTextual()) {
                    String masked = secrets.mask(value.textValue());
                    if (!masked.equals(value.textValue())) {
                        ((ObjectNode) node).set(field.getKey(), TextNode.valueOf(masked));
                        changed = true;
                    }
                } else {
                    changed |= maskStrings(value);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode value = node.get(i);
                if (value.isTextual()) {
                    String masked = secrets.mask(value.textValue());
                    if (!masked.equals(value.textValue())) {
                        ((ArrayNode) node).set(i, TextNode.valueOf(masked));
                        changed = true;
                    }
                } else {
                    changed |= maskStrings(value);
                }
            }
        }
        return changed;
    }
}
