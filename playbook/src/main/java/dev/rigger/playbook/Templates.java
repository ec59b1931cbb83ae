package dev.rigger.playbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.AttributeNotFoundException;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.error.RootAttributeNotFoundException;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {{ }}} templates over a context of plain values (String, Number, Boolean, List, Map, null).
 *
 * <p>Strict: an unknown variable or attribute is an error, never an empty string. A string that is exactly
 * one expression keeps the expression's type, as in Ansible: {@code "{{ ecs_owner }}"} with 444 gives the
 * number 444, {@code "uid-{{ ecs_owner }}"} gives text. Maps and lists from {@link #toContextValue} print
 * as JSON inside text.
 *
 * <p>Thread-safe and cheap to create: every instance shares one engine and its compiled templates.
 */
public final class Templates {

    static final String NATIVE_FILTER = "rigger_native";

    private static final Pattern SINGLE_EXPRESSION = Pattern.compile("^\\s*\\{\\{(.*)}}\\s*$", Pattern.DOTALL);

    /** The value of the last expression captured on this thread; rendering is synchronous, so this is safe. */
    private static final ThreadLocal<Object[]> CAPTURED = ThreadLocal.withInitial(() -> new Object[1]);

    /** Built once per JVM: compiled templates are cached in it and shared by every instance. */
    private static final PebbleEngine ENGINE = TemplateEngines.builder()
            .newLineTrimming(false)
            .extension(new AnsibleFiltersExtension((AnsibleFiltersExtension.SimpleFilter) (input, args) -> {
                CAPTURED.get()[0] = input;
                return "";
            }))
            .build();

    /** True when {@code text} holds a {@code {{ }}} expression or a {@code {% %}} tag. */
    public static boolean hasTemplate(String text) {
        return text.contains("{{") || text.contains("{%");
    }

    /** True when {@code text} holds anything the engine reads as markup: an expression, a tag or a comment. */
    public static boolean hasMarkup(String text) {
        return hasTemplate(text) || text.contains("{#");
    }

    /**
     * Renders every string inside {@code value}, through objects and arrays; keys are left as they are.
     * A string that is exactly one {@code {{ expr }}} becomes the expression's native JSON value.
     */
    public JsonNode render(JsonNode value, Map<String, Object> context) {
        if (value == null) {
            return null;
        }
        if (value.isTextual()) {
            return renderString(value.textValue(), context);
        }
        if (value.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                out.set(field.getKey(), render(field.getValue(), context));
            }
            return out;
        }
        if (value.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode(value.size());
            value.forEach(element -> out.add(render(element, context)));
            return out;
        }
        return value;
    }

    private JsonNode renderString(String text, Map<String, Object> context) {
        if (!hasTemplate(text)) {
            return JsonNodeFactory.instance.textNode(text);
        }
        String expression = singleExpression(text);
        if (expression != null) {
            return toJson(evaluate(expression, text, context));
        }
        return JsonNodeFactory.instance.textNode(renderText(text, context));
    }

    /** Renders {@code template} to text, whatever the types of its expressions. */
    public String renderText(String template, Map<String, Object> context) {
        StringWriter out = new StringWriter();
        run(template, template, context, out);
        return out.toString();
    }

    /** The native value of a bare expression such as {@code data.sizeBytes // 2} or {@code "x" ~ y}. */
    public Object evaluate(String expression, Map<String, Object> context) {
        return evaluate(expression, expression, context);
    }

    /**
     * An Ansible-style {@code when}: a bare expression without braces, true when its value is truthy
     * ({@link #isTruthy}). Use {@code | bool} to read strings such as "yes" or "false" as booleans.
     */
    public boolean test(String expression, Map<String, Object> context) {
        return isTruthy(evaluate(expression, expression, context));
    }

    /** Python's truthiness, as Ansible conditions see it: null, false, 0, "" and empty collections are false. */
    public static boolean isTruthy(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (value instanceof CharSequence s) {
            return s.length() > 0;
        }
        if (value instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (value instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    /**
     * Turns JSON (facts, registered results, vars) into context values: objects become maps, arrays lists,
     * scalars String/Number/Boolean/null. Maps and lists print as JSON inside text.
     */
    public static Object toContextValue(JsonNode node) {
        return ContextValues.fromJson(node);
    }

    /** As {@link #toContextValue(JsonNode)} for any value Jackson can write (records, maps, lists). */
    public static Object toContextValue(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof ContextValues.JsonMap || value instanceof ContextValues.JsonList) {
            return value;
        }
        if (value instanceof JsonNode node) {
            return ContextValues.fromJson(node);
        }
        return ContextValues.fromJson(ContextValues.MAPPER.valueToTree(value));
    }

    /** A context value (or any value Jackson can write) as JSON. */
    public static JsonNode toJson(Object value) {
        if (value == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        return ContextValues.MAPPER.valueToTree(value);
    }

    /** The expression inside a string that is exactly one {@code {{ expr }}}, else null. */
    static String singleExpression(String text) {
        Matcher m = SINGLE_EXPRESSION.matcher(text);
        if (!m.matches()) {
            return null;
        }
        String inner = m.group(1);
        if (inner.contains("{{") || inner.contains("}}") || inner.contains("{%")) {
            return null;
        }
        return inner.trim();
    }

    private Object evaluate(String expression, String original, Map<String, Object> context) {
        Object[] slot = CAPTURED.get();
        slot[0] = null;
        run("{{ (" + expression + ") | " + NATIVE_FILTER + " }}", original, context, new StringWriter());
        Object value = slot[0];
        slot[0] = null;
        return value;
    }

    private void run(String template, String original, Map<String, Object> context, StringWriter out) {
        try {
            PebbleTemplate compiled = ENGINE.getLiteralTemplate(template);
            compiled.evaluate(out, context);
        } catch (TemplateException e) {
            // from a var that holds a template itself
            throw new TemplateException(original, e.variable(), quote(original) + ": " + e.getMessage(), e);
        } catch (RootAttributeNotFoundException e) {
            throw new TemplateException(original, e.getAttributeName(),
                    "unknown variable '" + e.getAttributeName() + "' in " + quote(original), e);
        } catch (AttributeNotFoundException e) {
            throw new TemplateException(original, e.getAttributeName(),
                    "no attribute '" + e.getAttributeName() + "' in " + quote(original), e);
        } catch (PebbleException e) {
            throw new TemplateException(original, null, quote(original) + ": " + e.getPebbleMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new TemplateException(original, null, quote(original) + ": " + describe(e), e);
        } catch (StackOverflowError e) {
            throw new TemplateException(original, null, quote(shorten(original)) + ": nested too deeply to evaluate", null);
        }
    }

    /** {@code text} cut to a length that reads in one line of a message. */
    static String shorten(String text) {
        return text.length() > 120 ? text.substring(0, 100) + "... (" + text.length() + " characters)" : text;
    }

    private static String describe(Exception e) {
        if (e instanceof ClassCastException) {
            return "a value has the wrong type for this operation";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
