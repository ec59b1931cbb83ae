package dev.rigger.playbook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What the schema cannot say about values, checked once the schema is satisfied: numbers beyond what a run
 * computes with (an integer past 64 bits, a number past a double, a count past an int), file names no
 * file system takes (a NUL), and host patterns that cannot be read (a bad regex, a lone {@code !}).
 */
final class ValueChecks {

    /** Fields the run keeps in an int: a larger value would silently wrap (forks 2^32 would become 0). */
    private static final List<String> PLAY_INTS = List.of("forks");
    private static final List<String> TASK_INTS = List.of("retries", "timeoutSec");
    /** Seconds the run sleeps; beyond an int of them (68 years) a value is a mistake. */
    private static final List<String> TASK_SECONDS = List.of("delaySec");

    private ValueChecks() {
    }

    static List<SchemaProblems.Found> check(JsonNode root) {
        List<SchemaProblems.Found> found = new ArrayList<>();
        numbers(root, "", found);
        JsonNode hosts = root.path("inventory").path("hosts");
        hosts.fields().forEachRemaining(h -> fileName(h.getValue().path("identityFile"),
                "/inventory/hosts/" + SchemaProblems.escape(h.getKey()) + "/identityFile", found));
        JsonNode plays = root.path("plays");
        for (int p = 0; p < plays.size(); p++) {
            JsonNode play = plays.get(p);
            String at = "/plays/" + p;
            fileName(play.path(PlaybookBinder.IMPORT), at + "/" + PlaybookBinder.IMPORT, found);
            PLAY_INTS.forEach(f -> fitsInt(play.path(f), at + "/" + f, found));
            JsonNode pattern = play.path("hosts");
            if (pattern.isTextual() && !Templates.hasTemplate(pattern.textValue())) {
                String problem = HostPattern.check(pattern.textValue());
                if (problem != null) {
                    found.add(new SchemaProblems.Found(at + "/hosts", false, problem));
                }
            }
            JsonNode tasks = play.path("tasks");
            for (int t = 0; t < tasks.size(); t++) {
                JsonNode task = tasks.get(t);
                String taskAt = at + "/tasks/" + t;
                TASK_INTS.forEach(f -> fitsInt(task.path(f), taskAt + "/" + f, found));
                TASK_SECONDS.forEach(f -> fitsInt(task.path(f), taskAt + "/" + f, found));
            }
        }
        return found;
    }

    /** Every number in the document fits a long or is a finite double. */
    private static void numbers(JsonNode node, String pointer, List<SchemaProblems.Found> found) {
        if (node.isBigInteger() || node.isBigDecimal() && !Double.isFinite(node.doubleValue())) {
            found.add(new SchemaProblems.Found(pointer, false, "number too large: " + shortText(node)
                    + " (integers up to " + Long.MAX_VALUE + ")"));
        } else if (node.isDouble() && !Double.isFinite(node.doubleValue())) {
            found.add(new SchemaProblems.Found(pointer, false, "number too large to compute with: " + shortText(node)));
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                numbers(f.getValue(), pointer + "/" + SchemaProblems.escape(f.getKey()), found);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                numbers(node.get(i), pointer + "/" + i, found);
            }
        }
    }

    private static void fitsInt(JsonNode value, String pointer, List<SchemaProblems.Found> found) {
        if (value.isNumber() && !value.isBigInteger() && Double.isFinite(value.doubleValue())
                && value.doubleValue() > Integer.MAX_VALUE) {
            found.add(new SchemaProblems.Found(pointer, false, "must be at most " + Integer.MAX_VALUE + ", found "
                    + shortText(value)));
        }
    }

    private static void fileName(JsonNode value, String pointer, List<SchemaProblems.Found> found) {
        if (value.isTextual() && value.textValue().indexOf('\0') >= 0) {
            found.add(new SchemaProblems.Found(pointer, false, "a file name cannot hold a NUL character"));
        }
    }

    private static String shortText(JsonNode value) {
        String text = value.asText();
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }
}
