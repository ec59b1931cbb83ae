package dev.rigger.playbook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded, validated playbook.
 *
 * @param vars      playbook vars, already as template context values (see {@link Templates#toContextValue})
 * @param inventory hosts the playbook declares itself; {@link PlaybookInventory#EMPTY} when none
 * @param source    the name the playbook was loaded from, used in every problem message
 */
public record Playbook(String name, Map<String, Object> vars, PlaybookInventory inventory, List<Play> plays,
                       String source) {

    public Playbook {
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        plays = List.copyOf(plays);
    }
}
