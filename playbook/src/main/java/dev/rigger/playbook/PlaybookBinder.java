package dev.rigger.playbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the model from a tree that already passed the schema, filling in defaults. */
final class PlaybookBinder {
    static final String IMPORT = "import";

    private PlaybookBinder() {
    }

    static Playbook bind(JsonNode root, String source) {
        List<Play> plays = new ArrayList<>();
        JsonNode playNodes = root.path("plays");
        for (int i = 0; i < playNodes.size(); i++) {
            // imports are spliced in by the loader, which knows where files are
            if (!playNodes.get(i).has(IMPORT)) {
                plays.add(play(playNodes.get(i), "/plays/" + i));
            }
        }
        List<String> maskVars = null;
        if (root.has("maskVars")) {
            maskVars = new ArrayList<>();
            for (JsonNode glob : root.get("maskVars")) {
                maskVars.add(glob.asText());
            }
        }
        return new Playbook(root.path("name").asText(), vars(root.path("vars")), inventory(root.path("inventory")),
                plays, source, maskVars);
    }

    private static Play play(JsonNode node, String pointer) {
        List<Task> tasks = new ArrayList<>();
        JsonNode taskNodes = node.path("tasks");
        for (int i = 0; i < taskNodes.size(); i++) {
            tasks.add(task(taskNodes.get(i), pointer + "/tasks/" + i));
        }
        Play.Strategy strategy = Play.Strategy.valueOf(node.path("strategy").asText("linear").toUpperCase(Locale.ROOT));
        return new Play(node.path("name").asText(), node.path("hosts").asText(), strategy,
                node.path("forks").asInt(Play.DEFAULT_FORKS),
                node.path("maxFailPercent").asDouble(Play.DEFAULT_MAX_FAIL_PERCENT),
                node.path("gatherFacts").asBoolean(true), vars(node.path("vars")), tasks, pointer);
    }

    private static Task task(JsonNode node, String pointer) {
        ObjectNode args = node.path("args").isObject()
                ? ((ObjectNode) node.get("args")).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        List<String> tags = new ArrayList<>();
        node.path("tags").forEach(t -> tags.add(t.asText()));
        return new Task(node.path("name").asText(), node.path("module").asText(), args,
                text(node, "when"), text(node, "register"),
                node.has("loop") ? node.get("loop").deepCopy() : null,
                node.path("retries").asInt(Task.DEFAULT_RETRIES),
                node.path("delaySec").asDouble(Task.DEFAULT_DELAY_SEC),
                node.has("timeoutSec") ? node.get("timeoutSec").asInt() : null,
                node.path("ignoreErrors").asBoolean(false), node.path("noLog").asBoolean(false), tags, pointer);
    }

    private static PlaybookInventory inventory(JsonNode node) {
        if (!node.isObject()) {
            return PlaybookInventory.EMPTY;
        }
        Map<String, DeclaredHost> hosts = new LinkedHashMap<>();
        node.path("hosts").fields().forEachRemaining(e -> {
            JsonNode h = e.getValue();
            List<String> groups = new ArrayList<>();
            h.path("groups").forEach(g -> groups.add(g.asText()));
            hosts.put(e.getKey(), new DeclaredHost(e.getKey(), h.path("address").asText(),
                    h.has("port") ? h.get("port").asInt() : null, text(h, "user"), text(h, "identityFile"),
                    groups, vars(h.path("vars"))));
        });
        return new PlaybookInventory(hosts);
    }

    static Map<String, Object> vars(JsonNode node) {
        Map<String, Object> vars = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> vars.put(e.getKey(), Templates.toContextValue(e.getValue())));
        return vars;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
