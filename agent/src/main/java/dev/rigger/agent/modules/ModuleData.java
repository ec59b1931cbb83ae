package dev.rigger.agent.modules;

import dev.rigger.protocol.ProtocolJson;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the data maps modules return; unlike {@code Map.of} it keeps order and allows nulls. */
public final class ModuleData {
    private ModuleData() {
    }

    public static Map<String, Object> of(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** A record (e.g. a fact) as the plain map that templates read. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> fromRecord(Object value) {
        return ProtocolJson.MAPPER.convertValue(value, Map.class);
    }
}
