package dev.rigger.playbook;

import com.fasterxml.jackson.databind.JsonNode;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.ExtensionRegistry;
import io.pebbletemplates.pebble.extension.NodeVisitorFactory;
import io.pebbletemplates.pebble.template.PebbleTemplateImpl;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Finds, before any host is contacted, template variables that nothing defines at the point where they
 * are read: a typo, or a {@code register} used before the task that registers it.
 *
 * <p>Vars may hold templates too; they are rendered when read, so they may use any name the playbook
 * defines anywhere (a register of a later task, {@code item}), but not a name nothing defines.
 *
 * <p>Known at a task: playbook vars, play vars, inventory host vars, extra vars, the context keys of
 * {@link TemplateContext} ({@code item} only in a task with a {@code loop}), and the {@code register} names of
 * earlier tasks, in this play or an earlier one. Only root names are checked: attributes under them
 * ({@code facts.os.family}) are checked at run time, against real values.
 */
public final class TemplateChecker {

    private static final ThreadLocal<TemplateVariablesVisitor.Findings> CURRENT = new ThreadLocal<>();

    private final PebbleEngine engine;

    public TemplateChecker() {
        NodeVisitorFactory collect = template -> new TemplateVariablesVisitor((PebbleTemplateImpl) template,
                registry(), CURRENT.get());
        this.engine = TemplateEngines.builder()
                .cacheActive(false)
                .extension(new AnsibleFiltersExtension((AnsibleFiltersExtension.SimpleFilter) (in, args) -> ""))
                .extension(new AbstractExtension() {
                    @Override
                    public List<NodeVisitorFactory> getNodeVisitors() {
                        return List.of(collect);
                    }
                })
                .build();
    }

    private ExtensionRegistry registry() {
        return engine.getExtensionRegistry();
    }

    /**
     * Problems of one template string: syntax errors, unknown variables, unknown filters, tests and functions.
     *
     * @param template a template string as written ({@code "/ecs/{{ part.uuid }}"})
     * @param known    root names defined at this point
     * @return messages, empty when the template is fine
     */
    public List<String> check(String template, Set<String> known) {
        return checkCompiled(template, template, known);
    }

    /**
     * Problems of a template string whose names are checked elsewhere or not at all (an inventory file's
     * vars): syntax errors, refused tags, unknown filters, tests and functions.
     */
    public List<String> compileProblems(String template) {
        return checkCompiled(template, template, null);
    }

    /** As {@link #check} for a bare {@code when} expression. */
    public List<String> checkExpression(String expression, Set<String> known) {
        return checkCompiled("{{ " + expression + " }}", expression, known);
    }

    /** Problems of every task of {@code playbook}; line and column are 0 (the loader adds them). */
    public List<Problem> check(Playbook playbook, Set<String> extraVarNames) {
        List<Problem> problems = new ArrayList<>();
        check(playbook, extraVarNames, (pointer, message) ->
                problems.add(new Problem(playbook.source(), pointer, 0, 0, message)));
        return problems;
    }

    /** Reports (pointer of the string, message) for every problem found. */
    void check(Playbook playbook, Set<String> extraVarNames, BiConsumer<String, String> report) {
        Set<String> base = new HashSet<>(playbook.vars().keySet());
        base.addAll(extraVarNames);
        playbook.inventory().hosts().values().forEach(h -> base.addAll(h.vars().keySet()));
        base.addAll(TemplateContext.RESERVED);
        base.remove(TemplateContext.ITEM);
        Set<String> registered = new HashSet<>();
        for (Play play : playbook.plays()) {
            Set<String> playKnown = new HashSet<>(base);
            playKnown.addAll(play.vars().keySet());
            if (Templates.hasTemplate(play.hosts())) {
                // a host pattern is rendered before any host is known: vars only
                Set<String> varsOnly = new HashSet<>(playKnown);
                varsOnly.removeAll(TemplateContext.RESERVED);
                check(play.hosts(), varsOnly).forEach(m -> report.accept(play.pointer() + "/hosts", m));
            }
            for (Task task : play.tasks()) {
                Set<String> known = new HashSet<>(playKnown);
                known.addAll(registered);
                if (task.loop() != null) {
                    walkStrings(task.loop(), task.pointer() + "/loop", (pointer, text) ->
                            check(text, known).forEach(m -> report.accept(pointer, m)));
                    known.add(TemplateContext.ITEM);
                }
                if (task.when() != null && Templates.hasTemplate(task.when())) {
                    report.accept(task.pointer() + "/when",
                            "write 'when' as a bare expression, without {{ }} or {% %}: data.sizeBytes > 0");
                } else if (task.when() != null) {
                    checkExpression(task.when(), known).forEach(m -> report.accept(task.pointer() + "/when", m));
                }
                walkStrings(task.args(), task.pointer() + "/args", (pointer, text) ->
                        check(text, known).forEach(m -> report.accept(pointer, m)));
                if (task.register() != null) {
                    registered.add(task.register());
                }
            }
        }
        checkVars(playbook, base, registered, report);
    }

    /**
     * Vars are rendered when read, so any name the playbook defines anywhere may appear in them; this
     * still catches typos and names that nothing defines.
     */
    private void checkVars(Playbook playbook, Set<String> base, Set<String> registered,
                           BiConsumer<String, String> report) {
        Set<String> known = new HashSet<>(base);
        known.addAll(registered);
        known.add(TemplateContext.ITEM);
        playbook.plays().forEach(play -> known.addAll(play.vars().keySet()));
        BiConsumer<String, Map<String, Object>> checkAll = (pointer, vars) -> vars.forEach((name, value) ->
                walkStrings(Templates.toJson(value), pointer + "/" + SchemaProblems.escape(name), (at, text) ->
                        check(text, known).forEach(m -> report.accept(at, m))));
        checkAll.accept("/vars", playbook.vars());
        playbook.inventory().hosts().forEach((host, h) ->
                checkAll.accept("/inventory/hosts/" + SchemaProblems.escape(host) + "/vars", h.vars()));
        playbook.plays().forEach(play -> checkAll.accept(play.pointer() + "/vars", play.vars()));
    }

    private List<String> checkCompiled(String source, String original, Set<String> known) {
        if (!Templates.hasTemplate(source)) {
            return List.of();
        }
        TemplateVariablesVisitor.Findings findings = new TemplateVariablesVisitor.Findings();
        CURRENT.set(findings);
        try {
            engine.getLiteralTemplate(source);
        } catch (RefusedTagsExtension.RefusedTagException e) {
            return List.of(e.getPebbleMessage());
        } catch (PebbleException e) {
            return List.of("template error in " + Templates.quote(Templates.shorten(original)) + ": " + e.getPebbleMessage());
        } catch (StackOverflowError e) {
            // the parser recurses once per nesting level; thousands of ( or {% if %} exhaust the stack
            return List.of("template nested too deeply to read: " + Templates.quote(Templates.shorten(original)));
        } catch (RuntimeException e) {
            return List.of("template error in " + Templates.quote(Templates.shorten(original)) + ": "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
        } finally {
            CURRENT.remove();
        }
        List<String> messages = new ArrayList<>();
        for (String variable : findings.variables) {
            if (known != null && !known.contains(variable)) {
                messages.add("unknown variable '" + variable + "' in " + Templates.quote(original)
                        + suggestion(variable, known));
            }
        }
        for (String call : findings.unknownCalls) {
            messages.add("unknown " + call + " in " + Templates.quote(original));
        }
        return messages;
    }

    private static String suggestion(String unknown, Set<String> known) {
        if (unknown.length() < 3) {
            return "";
        }
        return known.stream()
                .filter(k -> distance(unknown, k) <= Math.max(1, unknown.length() / 3))
                .min(Comparator.comparingInt((String k) -> distance(unknown, k)).thenComparing(k -> k))
                .map(k -> "; did you mean '" + k + "'?")
                .orElse("");
    }

    /** Levenshtein distance, for "did you mean". */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** Calls {@code visit(pointer, text)} for every string inside {@code node}. */
    static void walkStrings(JsonNode node, String pointer, BiConsumer<String, String> visit) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            visit.accept(pointer, node.textValue());
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                walkStrings(field.getValue(), pointer + "/" + SchemaProblems.escape(field.getKey()), visit);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walkStrings(node.get(i), pointer + "/" + i, visit);
            }
        }
    }
}
