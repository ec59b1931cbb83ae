package dev.rigger.playbook;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A template context whose vars may themselves hold templates ({@code "mount_path": "/ecs/{{ part.partuuid }}"}).
 * As in Ansible, such a var is rendered when a template reads it, against the same context, and then kept;
 * a var that nothing reads is never rendered, so it may refer to results that do not exist yet.
 */
final class VarsContext extends AbstractMap<String, Object> {

    private static final Templates TEMPLATES = new Templates();

    private final Map<String, Object> values;
    private final Set<String> pending;
    private final Set<String> rendering = new LinkedHashSet<>();

    /** @param templated keys whose value holds a template string somewhere inside */
    VarsContext(Map<String, Object> values, Set<String> templated) {
        this.values = new HashMap<>(values);
        this.pending = new HashSet<>(templated);
    }

    @Override
    public boolean containsKey(Object key) {
        return values.containsKey(key);
    }

    @Override
    public synchronized Object get(Object key) {
        if (!pending.contains(key)) {
            return values.get(key);
        }
        String name = (String) key;
        if (!rendering.add(name)) {
            throw new TemplateException(String.valueOf(values.get(name)), name,
                    "var '" + name + "' refers to itself: " + String.join(" -> ", rendering) + " -> " + name, null);
        }
        try {
            Object rendered = Templates.toContextValue(TEMPLATES.render(Templates.toJson(values.get(name)), this));
            values.put(name, rendered);
            pending.remove(name);
            return rendered;
        } finally {
            rendering.remove(name);
        }
    }

    /** Renders every pending var: only for callers that walk the whole context. */
    @Override
    public synchronized Set<Entry<String, Object>> entrySet() {
        for (String name : Set.copyOf(pending)) {
            get(name);
        }
        return Collections.unmodifiableMap(values).entrySet();
    }

    /** True when {@code value} holds a template string at any depth. */
    static boolean holdsTemplate(Object value) {
        if (value instanceof String s) {
            return Templates.hasTemplate(s);
        }
        if (value instanceof Map<?, ?> m) {
            return m.values().stream().anyMatch(VarsContext::holdsTemplate);
        }
        if (value instanceof Iterable<?> list) {
            for (Object element : list) {
                if (holdsTemplate(element)) {
                    return true;
                }
            }
        }
        return false;
    }
}
