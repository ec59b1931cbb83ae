package dev.rigger.controller.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rigger.playbook.Problem;
import dev.rigger.playbook.TemplateChecker;
import dev.rigger.playbook.Templates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The shape of an inventory document, checked before any of it is used: the same rules as a playbook's
 * {@code inventory} (names a host pattern can name, ports in range), plus what an address, user or key
 * file must not hold to be passed safely to SSH (whitespace, control characters, a leading dash).
 */
final class InventoryChecks {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern UNSAFE = Pattern.compile("[\\s\\p{Cntrl}]");
    private static final TemplateChecker CHECKER = new TemplateChecker();
    private static final List<String> FIELDS = List.of("address", "port", "user", "identityFile", "hostKeys", "groups",
            "vars");

    private InventoryChecks() {
    }

    /**
     * @param at     places a problem at a value's pointer
     * @param atName places a problem at the property name that holds a pointer
     */
    static List<Problem> check(JsonNode root, BiFunction<String, String, Problem> at,
                               BiFunction<String, String, Problem> atName) {
        List<Problem> problems = new ArrayList<>();
        if (!root.isObject()) {
            problems.add(at.apply("", "expected an object {\"hosts\": {name: host}}"));
            return problems;
        }
        root.fieldNames().forEachRemaining(f -> {
            if (!f.equals("hosts")) {
                problems.add(atName.apply("/" + escape(f), "unknown property '" + f + "'; expected one of: hosts"));
            }
        });
        JsonNode hosts = root.path("hosts");
        if (!hosts.isObject()) {
            problems.add(at.apply(hosts.isMissingNode() ? "" : "/hosts", hosts.isMissingNode()
                    ? "missing required property 'hosts'" : "expected an object of host name -> host"));
            return problems;
        }
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) hosts::fields) {
            String pointer = "/hosts/" + escape(e.getKey());
            if (!NAME.matcher(e.getKey()).matches()) {
                problems.add(atName.apply(pointer, "'" + shorten(e.getKey()) + "' is not a valid host name: expected"
                        + " letters, digits, _ . and -, not starting with . or -"));
                continue;
            }
            host(e.getValue(), pointer, at, atName, problems);
        }
        return problems;
    }

    private static void host(JsonNode h, String pointer, BiFunction<String, String, Problem> at,
                             BiFunction<String, String, Problem> atName, List<Problem> problems) {
        if (!h.isObject()) {
            problems.add(at.apply(pointer, "expected an object with an address"));
            return;
        }
        h.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                problems.add(atName.apply(pointer + "/" + escape(f), "unknown property '" + shorten(f)
                        + "'; expected one of: " + String.join(", ", FIELDS)));
            }
        });
        JsonNode address = h.path("address");
        if (address.isMissingNode()) {
            problems.add(at.apply(pointer, "missing required property 'address'"));
        } else {
            sshWord(address, pointer + "/address", "an address (a name or an IP)", at, problems);
        }
        if (h.has("port")) {
            JsonNode port = h.get("port");
            if (!port.isIntegralNumber() || !port.canConvertToInt() || port.intValue() < 1 || port.intValue() > 65535) {
                problems.add(at.apply(pointer + "/port", "expected a port number (1-65535), found " + shorten(port.toString())));
            }
        }
        if (h.has("user")) {
            sshWord(h.get("user"), pointer + "/user", "a user name", at, problems);
        }
        if (h.has("identityFile")) {
            JsonNode file = h.get("identityFile");
            if (!file.isTextual() || file.textValue().isEmpty() || file.textValue().indexOf('\0') >= 0) {
                problems.add(at.apply(pointer + "/identityFile", "expected the path of a private key file, found "
                        + shorten(file.toString())));
            }
        }
        strings(h.path("hostKeys"), pointer + "/hostKeys", null, "host key lines", at, problems);
        strings(h.path("groups"), pointer + "/groups", NAME, "group names (letters, digits, _ . and -)", at, problems);
        if (h.has("vars")) {
            JsonNode vars = h.get("vars");
            if (!vars.isObject()) {
                problems.add(at.apply(pointer + "/vars", "expected an object of variables"));
            } else {
                vars.fieldNames().forEachRemaining(v -> {
                    if (!IDENTIFIER.matcher(v).matches()) {
                        problems.add(atName.apply(pointer + "/vars/" + escape(v), "'" + shorten(v) + "' is not a valid"
                                + " name: expected a name made of letters, digits and _ that does not start with a digit"));
                    }
                });
                templates(vars, pointer + "/vars", at, problems);
            }
        }
    }

    /**
     * Inventory vars may hold templates, rendered when a task reads them: one that cannot compile (or uses
     * a tag that would read a file) is refused here, before any host is contacted.
     */
    private static void templates(JsonNode value, String pointer, BiFunction<String, String, Problem> at,
                                  List<Problem> problems) {
        if (value.isTextual() && Templates.hasTemplate(value.textValue())) {
            CHECKER.compileProblems(value.textValue()).forEach(m -> problems.add(at.apply(pointer, m)));
        } else if (value.isObject()) {
            value.fields().forEachRemaining(f -> templates(f.getValue(), pointer + "/" + escape(f.getKey()), at, problems));
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                templates(value.get(i), pointer + "/" + i, at, problems);
            }
        }
    }

    /** A value that goes to SSH as one word: no spaces or control characters, no leading dash (an option). */
    private static void sshWord(JsonNode value, String pointer, String what, BiFunction<String, String, Problem> at,
                                List<Problem> problems) {
        String text = value.isTextual() ? value.textValue() : null;
        if (text == null || text.isEmpty()) {
            problems.add(at.apply(pointer, "expected " + what + ", found " + shorten(value.toString())));
        } else if (UNSAFE.matcher(text).find() || text.startsWith("-")) {
            problems.add(at.apply(pointer, "expected " + what + " without spaces, control characters or a leading -,"
                    + " found " + shorten(value.toString())));
        }
    }

    private static void strings(JsonNode list, String pointer, Pattern each, String what,
                                BiFunction<String, String, Problem> at, List<Problem> problems) {
        if (list.isMissingNode()) {
            return;
        }
        if (!list.isArray()) {
            problems.add(at.apply(pointer, "expected a list of " + what));
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            if (!item.isTextual() || item.textValue().isEmpty()
                    || (each != null && !each.matcher(item.textValue()).matches())) {
                problems.add(at.apply(pointer + "/" + i, "expected one of a list of " + what + ", found "
                        + shorten(item.toString())));
            }
        }
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static String shorten(String text) {
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
