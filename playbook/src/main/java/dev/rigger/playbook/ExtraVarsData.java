package dev.rigger.playbook;

import java.util.List;
import java.util.Map;

/**
 * Extra vars ({@code -e}, the API's {@code extraVars}) are data: the run never renders them
 * ({@link TemplateContext}), and a value holding template markup is refused outright, since whoever sends
 * one either expects it to be rendered (it will not be) or is probing the engine.
 */
public final class ExtraVarsData {

    private ExtraVarsData() {
    }

    /**
     * Where {@code value} holds template markup, as a JSON pointer below the var ({@code ""} for the value
     * itself, {@code /disks/0} inside it), or null when it holds none. Keys are not looked at: they are
     * never rendered.
     */
    public static String markupAt(Object value) {
        if (value instanceof String s) {
            return Templates.hasMarkup(s) ? "" : null;
        }
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String below = markupAt(e.getValue());
                if (below != null) {
                    return "/" + SchemaProblems.escape(String.valueOf(e.getKey())) + below;
                }
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                String below = markupAt(list.get(i));
                if (below != null) {
                    return "/" + i + below;
                }
            }
        }
        return null;
    }

    /** What is said about a value that holds markup; the value itself is never repeated. */
    public static final String PROBLEM = "holds template markup ({{, {% or {#); extra vars are data, not templates:"
            + " they are never rendered (write templates in the playbook's vars)";
}
