package dev.rigger.controller.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Spoils a valid playbook the way people and programs do: a value of another type, a key deleted or
 * misspelt, an unknown key, a hostile string, a template nothing defines, a typo in the JSON text. What it
 * makes may still be valid; the caller decides by loading it. Deterministic for a seed.
 *
 * <p>It never writes an {@code inventory}, an {@code import} or a controller-side module (ec2, docker, ecs,
 * wait_for): a mutant that stays valid is run, and must reach no host but the test's closed port.
 */
final class PlaybookMutator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static final List<String> HOSTILE = List.of("../../../etc/passwd", "a\nb", "$(touch /tmp/rigger-mutant)",
            "`id`", "; rm -rf / #", "a && b || c", "\u001b[31mred\u001b[0m", "nul\u0000byte", "'\"", "\u202eevil",
            "{{ nosuch }}", "{{ item }}", "{{", "}}", "{% if %}", "{{ facts.hostname }}", "", " ", "x".repeat(5000));
    /** Hostile text that is no template: a value holding it may well be valid. */
    static final List<String> PLAIN_HOSTILE = List.of("../../../etc/passwd", "a\nb", "$(touch /tmp/rigger-mutant)",
            "`touch /tmp/rigger-mutant`", "; touch /tmp/rigger-mutant #", "a && b || c", "| nc 127.0.0.1 9",
            "\u001b]0;title\u0007", "nul\u0000byte", "'\"", "\u202eevil", " -rf", "--help", "*", "~root");
    private static final List<String> KEYS = List.of("name", "module", "args", "when", "register", "loop", "retries",
            "delaySec", "timeoutSec", "ignoreErrors", "tags", "hosts", "strategy", "forks", "maxFailPercent", "vars",
            "tasks", "plays", "path", "device", "type", "state", "select", "argv", "cmd", "colour", "a-b", "1x",
            "facts", "item");
    private static final List<String> MODULES = List.of("facts", "disk", "partition", "filesystem", "mount", "file",
            "copy", "hosts", "package", "command", "preallocate", "service", "dsik", "shell", "");

    private final Random random;
    private final List<String> applied = new ArrayList<>();

    PlaybookMutator(long seed) {
        this.random = new Random(seed);
    }

    /** What was done, for the test's name and its failure message. */
    List<String> applied() {
        return applied;
    }

    /** One to three mutations of {@code valid}, as the text of a playbook file. */
    String mutate(String valid) throws Exception {
        JsonNode root = JSON.readTree(valid);
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            root = mutateTree(root);
        }
        String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        return random.nextInt(8) == 0 ? mutateText(text) : text;
    }

    /**
     * Hostile text (shell metacharacters, ../, newlines, escapes) put into string values only: most
     * such playbooks stay valid, so these exercise the run, not the refusal.
     */
    String spoilStrings(String valid) throws Exception {
        JsonNode root = JSON.readTree(valid);
        List<String> strings = new ArrayList<>();
        collect(root, "", strings);
        strings.removeIf(p -> !root.at(p).isTextual() || p.endsWith("/module") || p.endsWith("/register")
                || p.endsWith("/hosts") || p.endsWith("/strategy") || p.endsWith("/type") || p.endsWith("/state"));
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n && !strings.isEmpty(); i++) {
            String at = strings.get(random.nextInt(strings.size()));
            String s = PLAIN_HOSTILE.get(random.nextInt(PLAIN_HOSTILE.size()));
            applied.add("hostile value at " + at + ": " + shorten(JSON.valueToTree(s).toString()));
            replace(root, at, NODES.textNode(root.at(at).textValue() + s));
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    private JsonNode mutateTree(JsonNode root) {
        List<String> pointers = new ArrayList<>();
        collect(root, "", pointers);
        String target = pointers.get(random.nextInt(pointers.size()));
        JsonNode node = target.isEmpty() ? root : root.at(target);
        switch (random.nextInt(6)) {
            case 0 -> {
                JsonNode value = randomValue();
                applied.add("set " + target + " to " + shorten(value.toString()));
                return replace(root, target, value);
            }
            case 1 -> {
                if (!target.isEmpty() && root.at(parent(target)).isObject()) {
                    applied.add("delete " + target);
                    ((ObjectNode) root.at(parent(target))).remove(last(target));
                }
                return root;
            }
            case 2 -> {
                ObjectNode holder = nearestObject(root, target);
                String key = KEYS.get(random.nextInt(KEYS.size()));
                JsonNode value = randomValue();
                applied.add("add " + key + "=" + shorten(value.toString()) + " near " + target);
                holder.set(key, value);
                return root;
            }
            case 3 -> {
                String s = HOSTILE.get(random.nextInt(HOSTILE.size()));
                applied.add("hostile string at " + target + ": " + shorten(JSON.valueToTree(s).toString()));
                return replace(root, target, node.isTextual() && random.nextBoolean()
                        ? NODES.textNode(node.textValue() + s) : NODES.textNode(s));
            }
            case 4 -> {
                ObjectNode holder = nearestObject(root, target);
                List<String> names = new ArrayList<>();
                holder.fieldNames().forEachRemaining(names::add);
                if (!names.isEmpty()) {
                    String old = names.get(random.nextInt(names.size()));
                    String typo = old.length() > 1 ? old.substring(1) : old + "s";
                    applied.add("rename " + old + " to " + typo + " near " + target);
                    JsonNode value = holder.remove(old);
                    holder.set(typo, value);
                }
                return root;
            }
            default -> {
                List<String> modules = new ArrayList<>();
                pointers.stream().filter(p -> p.endsWith("/module")).forEach(modules::add);
                if (modules.isEmpty()) {
                    return root;
                }
                String at = modules.get(random.nextInt(modules.size()));
                String module = MODULES.get(random.nextInt(MODULES.size()));
                applied.add("module at " + at + " to '" + module + "'");
                return replace(root, at, NODES.textNode(module));
            }
        }
    }

    private String mutateText(String text) {
        int at = random.nextInt(text.length());
        return switch (random.nextInt(3)) {
            case 0 -> {
                applied.add("text: cut at " + at);
                yield text.substring(0, at);
            }
            case 1 -> {
                applied.add("text: delete character " + at);
                yield text.substring(0, at) + text.substring(at + 1);
            }
            default -> {
                char c = "{}[],:\"\\\n0".charAt(random.nextInt(10));
                applied.add("text: insert " + JSON.valueToTree(String.valueOf(c)) + " at " + at);
                yield text.substring(0, at) + c + text.substring(at);
            }
        };
    }

    private JsonNode randomValue() {
        return switch (random.nextInt(14)) {
            case 0 -> NODES.numberNode(0);
            case 1 -> NODES.numberNode(-1);
            case 2 -> NODES.numberNode(1L << 31);
            case 3 -> NODES.numberNode(new BigInteger("100000000000000000000"));
            case 4 -> NODES.numberNode(1.5);
            case 5 -> NODES.numberNode(1e300);
            case 6 -> NODES.booleanNode(random.nextBoolean());
            case 7 -> NODES.nullNode();
            case 8 -> NODES.arrayNode();
            case 9 -> {
                ArrayNode a = NODES.arrayNode();
                a.add("x");
                a.add(1);
                yield a;
            }
            case 10 -> NODES.objectNode();
            case 11 -> NODES.objectNode().put("x", 1);
            default -> NODES.textNode(HOSTILE.get(random.nextInt(HOSTILE.size())));
        };
    }

    private static void collect(JsonNode node, String pointer, List<String> out) {
        out.add(pointer);
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> collect(f.getValue(), pointer + "/" + escape(f.getKey()), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), pointer + "/" + i, out);
            }
        }
    }

    private static JsonNode replace(JsonNode root, String pointer, JsonNode value) {
        if (pointer.isEmpty()) {
            return value;
        }
        JsonNode holder = root.at(parent(pointer));
        if (holder instanceof ObjectNode o) {
            o.set(last(pointer), value);
        } else if (holder instanceof ArrayNode a) {
            a.set(Integer.parseInt(last(pointer)), value);
        }
        return root;
    }

    private ObjectNode nearestObject(JsonNode root, String pointer) {
        String p = pointer;
        while (true) {
            JsonNode node = p.isEmpty() ? root : root.at(p);
            if (node instanceof ObjectNode o) {
                return o;
            }
            if (p.isEmpty()) {
                // the root itself was replaced by a non-object: mutate inside a fresh object instead
                return NODES.objectNode();
            }
            p = parent(p);
        }
    }

    private static String parent(String pointer) {
        return pointer.substring(0, pointer.lastIndexOf('/'));
    }

    private static String last(String pointer) {
        return unescape(pointer.substring(pointer.lastIndexOf('/') + 1));
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static String unescape(String segment) {
        return segment.replace("~1", "/").replace("~0", "~");
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }
}
